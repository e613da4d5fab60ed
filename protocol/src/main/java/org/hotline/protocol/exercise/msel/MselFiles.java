package org.hotline.protocol.exercise.msel;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotline.protocol.exercise.Exercise;
import org.hotline.protocol.exercise.ExerciseException;
import org.hotline.protocol.exercise.ExerciseFiles;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.exercise.Role;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.WireLimits;

/**
 * Reads and validates MSEL files (YAML, docs/exercise-control.md), and the scenarios shipped with
 * Hotline under {@code org/hotline/protocol/exercise/msel/}. Validation collects every problem,
 * each naming the line and the field, before refusing the file; a valid file gives an {@link Msel}
 * whose recipients are roles of the exercise.
 */
public final class MselFiles {

    private static final String SHIPPED_DIR = "/org/hotline/protocol/exercise/msel/";
    private static final Pattern SHIPPED_NAME = Pattern.compile("[a-z0-9-]{1,40}");
    private static final Pattern INJECT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    private static final Pattern TIME = Pattern.compile("\\+?(\\d{1,2}):(\\d{2})");
    private static final Set<String> TOP_FIELDS = Set.of("exercise", "title", "scenarioStart", "injects");
    private static final Set<String> INJECT_FIELDS = Set.of("id", "time", "to", "kind", "title", "text", "expected");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private MselFiles() {
    }

    /** The names of the scenarios shipped with Hotline. */
    public static List<String> shippedNames() {
        return List.of("south-asia");
    }

    /**
     * Loads {@code fileOrName}: a file path, or the name of a shipped scenario ({@code south-asia})
     * when no such file exists. Recipients are checked against {@code exercise}, or without one
     * against the template the MSEL names.
     *
     * @throws MselException every problem found, or why the file cannot be read
     */
    public static Msel load(String fileOrName, Optional<Exercise> exercise) throws MselException {
        Path path = Path.of(fileOrName);
        if (Files.isRegularFile(path)) {
            try {
                return parse(Files.readString(path, StandardCharsets.UTF_8), path.getFileName().toString(), exercise);
            } catch (IOException e) {
                throw new MselException(fileOrName + ": cannot be read: " + e.getMessage());
            }
        }
        if (SHIPPED_NAME.matcher(fileOrName).matches()) {
            try (InputStream in = MselFiles.class.getResourceAsStream(SHIPPED_DIR + fileOrName + ".yaml")) {
                if (in != null) {
                    return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), fileOrName + ".yaml", exercise);
                }
            } catch (IOException e) {
                throw new MselException(fileOrName + ": the shipped scenario cannot be read: " + e.getMessage());
            }
        }
        throw new MselException(fileOrName + ": no such file, and no shipped scenario of that name (shipped: "
                + String.join(", ", shippedNames()) + ")");
    }

    /** Validates MSEL text; {@code source} names it in messages (a file name). */
    public static Msel parse(String yaml, String source, Optional<Exercise> exercise) throws MselException {
        Problems problems = new Problems(source, lines(yaml));
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new MselException(source + ":" + line + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MselException(source + ":1: an MSEL is a YAML mapping with exercise, title, scenarioStart and injects");
        }
        unknownFields(root, TOP_FIELDS, "", "", problems);
        String template = text(root, "exercise", "", "", problems);
        String title = text(root, "title", "", "", problems);
        OffsetDateTime start = null;
        String startText = text(root, "scenarioStart", "", "", problems);
        if (startText != null) {
            try {
                start = OffsetDateTime.parse(startText);
            } catch (DateTimeParseException e) {
                problems.add("/scenarioStart", "scenarioStart", "not a date-time with offset, e.g. 2026-05-07T06:30:00+05:30");
            }
        }
        Exercise target = exercise.orElse(null);
        if (target == null && template != null) {
            try {
                target = ExerciseFiles.parse(ExerciseFiles.instantiate(template, "msel-check"));
            } catch (ExerciseException e) {
                problems.add("/exercise", "exercise", "unknown exercise template '" + template + "'");
            }
        }
        List<MselInject> injects = new ArrayList<>();
        JsonNode list = root.get("injects");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problems.add("/injects", "injects", "must be a non-empty list of injects");
        } else {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                MselInject inject = inject(list.get(i), i, target, problems);
                if (inject != null && !ids.add(inject.id())) {
                    problems.add("/injects/" + i + "/id", "injects[" + i + "].id", "duplicate inject id '" + inject.id() + "'");
                }
                if (inject != null) {
                    injects.add(inject);
                }
            }
        }
        if (!problems.list.isEmpty()) {
            throw new MselException(problems.list);
        }
        String name = source.endsWith(".yaml") ? source.substring(0, source.length() - 5) : source;
        return new Msel(name, template, title, start, injects);
    }

    private static MselInject inject(JsonNode n, int i, Exercise exercise, Problems problems) {
        String ptr = "/injects/" + i;
        String path = "injects[" + i + "]";
        if (!n.isObject()) {
            problems.add(ptr, path, "an inject is a mapping with id, time, to, kind, title and text");
            return null;
        }
        int before = problems.list.size();
        unknownFields(n, INJECT_FIELDS, ptr, path, problems);
        String id = text(n, "id", ptr, path, problems);
        if (id != null && !INJECT_ID.matcher(id).matches()) {
            problems.add(ptr + "/id", path + ".id", "'" + id + "' is not an inject id (letters, digits, '.', '_', '-'; at most 32)");
        }
        Duration offset = null;
        JsonNode timeNode = n.get("time");
        if (timeNode != null && !timeNode.isTextual()) {
            // A bare number (minutes? hours?) is ambiguous: say how to write an offset.
            problems.add(ptr + "/time", path + ".time", "write the offset as H:MM, e.g. \"0:45\"");
        } else {
            String time = text(n, "time", ptr, path, problems);
            if (time != null) {
                Matcher m = TIME.matcher(time);
                if (!m.matches() || Integer.parseInt(m.group(2)) > 59) {
                    problems.add(ptr + "/time", path + ".time", "'" + time + "' is not an offset H:MM from the scenario start");
                } else {
                    offset = Duration.ofHours(Integer.parseInt(m.group(1))).plusMinutes(Integer.parseInt(m.group(2)));
                }
            }
        }
        String kindText = text(n, "kind", ptr, path, problems);
        Content.InjectKind kind = null;
        if (kindText != null) {
            kind = Content.InjectKind.ofLabel(kindText).orElse(null);
            if (kind == null) {
                problems.add(ptr + "/kind", path + ".kind", "unknown kind '" + kindText
                        + "' (news, intelligence, situation, media, instruction, third-party)");
            }
        }
        String title = text(n, "title", ptr, path, problems);
        if (title != null && title.getBytes(StandardCharsets.UTF_8).length > Content.MAX_INJECT_TITLE_BYTES) {
            problems.add(ptr + "/title", path + ".title", "longer than " + Content.MAX_INJECT_TITLE_BYTES + " bytes");
        }
        String text = text(n, "text", ptr, path, problems);
        if (text != null && text.getBytes(StandardCharsets.UTF_8).length > WireLimits.MAX_TEXT_BYTES) {
            problems.add(ptr + "/text", path + ".text", "longer than " + WireLimits.MAX_TEXT_BYTES + " bytes");
        }
        Optional<String> expected = Optional.empty();
        if (n.has("expected")) {
            expected = Optional.ofNullable(text(n, "expected", ptr, path, problems));
        }
        List<String> recipients = recipients(n.get("to"), ptr + "/to", path + ".to", exercise, problems);
        if (problems.list.size() > before) {
            return null;
        }
        return new MselInject(id, offset, recipients, kind, title.strip(), text.strip(), expected.map(String::strip),
                problems.line(ptr));
    }

    /** {@code all}, party ids and role ids, as the participant roles they stand for (never control). */
    private static List<String> recipients(JsonNode to, String ptr, String path, Exercise exercise, Problems problems) {
        List<String> names = new ArrayList<>();
        if (to == null || to.isNull()) {
            problems.add(ptr, path, "missing (roles, parties or all)");
            return names;
        }
        if (to.isTextual()) {
            names.add(to.asText());
        } else if (to.isArray() && !to.isEmpty()) {
            to.forEach(x -> names.add(x.asText()));
        } else {
            problems.add(ptr, path, "must be a role, a party, all, or a list of them");
            return names;
        }
        if (exercise == null) {
            return names;
        }
        List<Role> participants = exercise.roles().stream().filter(r -> !exercise.isControl(r.id())).toList();
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            if (name.equals("all")) {
                participants.forEach(r -> out.add(r.id()));
            } else if (exercise.parties().stream().map(Party::id).anyMatch(name::equals)) {
                participants.stream().filter(r -> r.party().id().equals(name)).forEach(r -> out.add(r.id()));
            } else if (participants.stream().map(Role::id).anyMatch(name::equals)) {
                out.add(name);
            } else {
                problems.add(ptr, path, "unknown role or party '" + name + "' (roles: "
                        + String.join(", ", participants.stream().map(Role::id).toList()) + "; parties: "
                        + String.join(", ", exercise.parties().stream().map(Party::id).toList()) + "; or all)");
            }
        }
        return List.copyOf(out);
    }

    private static void unknownFields(JsonNode n, Set<String> known, String ptr, String path, Problems problems) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                problems.add(ptr + "/" + f, path.isEmpty() ? f : path + "." + f, "unknown field (expected one of "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(JsonNode n, String field, String ptr, String path, Problems problems) {
        JsonNode v = n.get(field);
        String where = path.isEmpty() ? field : path + "." + field;
        if (v == null || v.isNull()) {
            problems.add(ptr, where, "missing");
            return null;
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            problems.add(ptr + "/" + field, where, "must be non-empty text");
            return null;
        }
        return v.asText();
    }

    /** The line of every value in the file, by JSON pointer, from one streaming pass. */
    private static Map<String, Integer> lines(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonStreamContext ctx = p.getParsingContext();
                if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && ctx.getParent() != null) {
                    ctx = ctx.getParent();
                }
                lines.putIfAbsent(ctx.pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
            }
        } catch (IOException e) {
            // The tree reader reports the syntax error with its line; lines found so far still help.
            return lines;
        }
        return lines;
    }

    /** Problems found so far, each as {@code source:line: field: message}. */
    private static final class Problems {
        private final String source;
        private final Map<String, Integer> lines;
        private final List<String> list = new ArrayList<>();

        Problems(String source, Map<String, Integer> lines) {
            this.source = source;
            this.lines = lines;
        }

        void add(String pointer, String field, String message) {
            list.add(source + ":" + line(pointer) + ": " + field + ": " + message);
        }

        /** The line of {@code pointer}, or of the nearest enclosing value the file has (a missing field's object). */
        int line(String pointer) {
            String p = pointer;
            while (true) {
                Integer l = lines.get(p);
                if (l != null) {
                    return l;
                }
                int cut = p.lastIndexOf('/');
                if (cut <= 0) {
                    return lines.getOrDefault("", 1);
                }
                p = p.substring(0, cut);
            }
        }
    }
}
