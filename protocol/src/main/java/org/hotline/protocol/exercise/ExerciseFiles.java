package org.hotline.protocol.exercise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hotline.protocol.wire.Names;
import org.hotline.protocol.wire.Receipt;

/**
 * Reads and writes {@code exercise.json} and the exercise templates (data files under
 * {@code org/hotline/protocol/exercise/templates/}). Everything is validated on load: a bad file
 * gives one error naming the field, never a half-built {@link Exercise}.
 */
public final class ExerciseFiles {

    public static final String FILE_NAME = "exercise.json";
    private static final String TEMPLATE_DIR = "/org/hotline/protocol/exercise/templates/";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final java.util.regex.Pattern LANGUAGE_CODE = java.util.regex.Pattern.compile("[a-z]{2,3}");

    private ExerciseFiles() {
    }

    /** The template's JSON with exercise id and name filled in, as written to {@code exercise.json}. */
    public static String instantiate(String templateName, String exerciseId) throws ExerciseException {
        if (!templateName.matches("[a-z0-9-]{1,40}")) {
            throw new ExerciseException("unknown template '" + templateName + "'");
        }
        try (InputStream in = ExerciseFiles.class.getResourceAsStream(TEMPLATE_DIR + templateName + ".json")) {
            if (in == null) {
                throw new ExerciseException("unknown template '" + templateName + "' (available: south-asia)");
            }
            ObjectNode node = (ObjectNode) JSON.readTree(in);
            ObjectNode out = JSON.createObjectNode();
            out.put("id", exerciseId);
            out.setAll(node);
            parse(out);
            return JSON.writeValueAsString(out) + "\n";
        } catch (IOException e) {
            throw new ExerciseException("template '" + templateName + "' is unreadable: " + e.getMessage(), e);
        }
    }

    /** Like {@link #instantiate}, for template JSON given directly. */
    public static String instantiateJson(String templateJson, String exerciseId) throws ExerciseException {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(templateJson);
            ObjectNode out = JSON.createObjectNode();
            out.put("id", exerciseId);
            out.setAll(node);
            parse(out);
            return JSON.writeValueAsString(out) + "\n";
        } catch (IOException | ClassCastException e) {
            throw new ExerciseException("exercise template is not a JSON object: " + e.getMessage());
        }
    }

    public static Exercise load(Path exerciseDir) throws ExerciseException {
        Path file = exerciseDir.resolve(FILE_NAME);
        try {
            return parse(JSON.readTree(Files.readString(file)));
        } catch (NoSuchFileException e) {
            throw new ExerciseException("no " + FILE_NAME + " in " + exerciseDir + " (is this an exercise directory?)");
        } catch (JsonProcessingException e) {
            throw new ExerciseException(file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ExerciseException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static Exercise parse(String json) throws ExerciseException {
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new ExerciseException("exercise is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static Exercise parse(JsonNode root) throws ExerciseException {
        String id = text(root, "id");
        String name = text(root, "name");
        String template = root.path("template").asText("custom");
        List<RelayEndpoint> relays = relays(root);
        List<Party> parties = new ArrayList<>();
        for (JsonNode p : array(root, "parties")) {
            parties.add(new Party(text(p, "id"), text(p, "name"), zone(p, "timeZone"), text(p, "zoneLabel")));
        }
        unique(parties.stream().map(Party::id).toList(), "party");
        List<Role> roles = new ArrayList<>();
        for (JsonNode r : array(root, "roles")) {
            String roleId = text(r, "id");
            if (!Names.isValid(roleId)) {
                throw new ExerciseException("role id '" + roleId + "' is not a valid name (lowercase, digits, '.', '-')");
            }
            String partyId = text(r, "party");
            Party party = parties.stream().filter(p -> p.id().equals(partyId)).findFirst()
                    .orElseThrow(() -> new ExerciseException("role " + roleId + " names unknown party '" + partyId + "'"));
            roles.add(new Role(roleId, party, text(r, "title"), zone(r, "timeZone"), languages(r, roleId)));
        }
        Optional<ExerciseControl> control = control(root);
        if (control.isPresent()) {
            JsonNode c = root.get("control");
            // Control is no state: its seat gets a party of its own that is not among the parties
            // (whose clocks and zones the consoles show).
            ZoneId zone = zone(c, "timeZone");
            roles.add(new Role(control.get().role(), new Party("control", "Exercise", zone, "UTC"),
                    text(c, "title"), zone, c.path("language").asText("en")));
        }
        unique(roles.stream().map(Role::id).toList(), "role");
        // The whole relay-name space is reserved, not only the names of this exercise's relays:
        // receipts and checkpoints are recognised as a relay's by the asserter's name alone
        // (PROTOCOL.md §13), so a role named relay-x could sign them as a relay.
        for (Role r : roles) {
            if (Receipt.isRelayName(r.id())) {
                throw new ExerciseException("role id '" + r.id() + "' is reserved: 'relay' and names starting with "
                        + "'relay-' name relays; rename the role");
            }
        }
        List<Channel> channels = new ArrayList<>();
        for (JsonNode c : array(root, "channels")) {
            String channelId = text(c, "id");
            if (!Names.isValid(channelId)) {
                throw new ExerciseException("channel id '" + channelId + "' is not a valid name");
            }
            List<String> members = new ArrayList<>();
            for (JsonNode m : array(c, "members")) {
                String member = m.asText();
                if (roles.stream().noneMatch(r -> r.id().equals(member))) {
                    throw new ExerciseException("channel " + channelId + " names unknown role '" + member + "'");
                }
                members.add(member);
            }
            if (members.size() < 2) {
                throw new ExerciseException("channel " + channelId + " needs at least two members");
            }
            unique(members, "member of channel " + channelId);
            channels.add(new Channel(channelId, text(c, "name"), members));
        }
        unique(channels.stream().map(Channel::id).toList(), "channel");
        if (control.isPresent()) {
            channels = controlChannels(control.get(), roles, channels);
        }
        return new Exercise(id, name, template, relays, parties, roles, channels, control,
                escalation(root, channels));
    }

    /**
     * The relays: either {@code "relay": {host, port}} (the one relay, named {@code relay}) or
     * {@code "relays": [{name, host, port}, …]} (PROTOCOL.md §13), never both.
     */
    private static List<RelayEndpoint> relays(JsonNode root) throws ExerciseException {
        JsonNode one = root.get("relay");
        JsonNode several = root.get("relays");
        if (one != null && several != null) {
            throw new ExerciseException("exercise.json has both 'relay' and 'relays'; keep one");
        }
        if (several == null) {
            JsonNode relay = required(root, "relay");
            return List.of(endpoint(Receipt.RELAY, relay, "relay."));
        }
        List<RelayEndpoint> out = new ArrayList<>();
        for (JsonNode r : array(root, "relays")) {
            String relayName = text(r, "name");
            if (!Receipt.isRelayName(relayName)) {
                throw new ExerciseException("relay name '" + relayName + "' must be 'relay' or start with 'relay-' "
                        + "(lowercase letters, digits, '.', '-')");
            }
            out.add(endpoint(relayName, r, "relay " + relayName + ": "));
        }
        unique(out.stream().map(RelayEndpoint::name).toList(), "relay");
        return out;
    }

    private static RelayEndpoint endpoint(String relayName, JsonNode r, String what) throws ExerciseException {
        String host = text(r, "host");
        // isInt: Jackson's asInt would also take "7443", 7443.9 and true (as 1).
        JsonNode portNode = r.path("port");
        int port = portNode.isInt() ? portNode.intValue() : -1;
        if (port < 1 || port > 65535) {
            throw new ExerciseException(what + "port must be 1..65535");
        }
        return new RelayEndpoint(relayName, host, port);
    }

    /**
     * {@code json} (an instantiated exercise) with its relay replaced by {@code relays}, as
     * {@code pki init --relays 2} writes it: one relay per party, on consecutive ports.
     */
    public static String withRelays(String json, List<RelayEndpoint> relays) throws ExerciseException {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            node.remove("relay");
            var array = node.putArray("relays");
            for (RelayEndpoint r : relays) {
                array.addObject().put("name", r.name()).put("host", r.host()).put("port", r.port());
            }
            parse(node);
            return JSON.writeValueAsString(node) + "\n";
        } catch (IOException | ClassCastException e) {
            throw new ExerciseException("exercise is not a JSON object: " + e.getMessage());
        }
    }

    /** The optional {@code escalation} object: a ladder of existing channels, lowest first, and whether it is automatic. */
    private static Escalation escalation(JsonNode root, List<Channel> channels) throws ExerciseException {
        JsonNode e = root.get("escalation");
        if (e == null || e.isNull()) {
            return Escalation.NONE;
        }
        List<String> ladder = new ArrayList<>();
        for (JsonNode c : array(e, "ladder")) {
            String channelId = c.asText();
            if (channels.stream().noneMatch(ch -> ch.id().equals(channelId))) {
                throw new ExerciseException("escalation.ladder names unknown channel '" + channelId + "'");
            }
            ladder.add(channelId);
        }
        if (ladder.size() < 2) {
            throw new ExerciseException("escalation.ladder needs at least two channels (a rung to escalate to)");
        }
        unique(ladder, "escalation rung");
        JsonNode automatic = e.path("automatic");
        if (!automatic.isMissingNode() && !automatic.isBoolean()) {
            throw new ExerciseException("escalation.automatic must be true or false");
        }
        return new Escalation(ladder, automatic.asBoolean(false));
    }

    /** The optional {@code control} object: the facilitator's seat and what it may read. */
    private static Optional<ExerciseControl> control(JsonNode root) throws ExerciseException {
        JsonNode c = root.get("control");
        if (c == null || c.isNull()) {
            return Optional.empty();
        }
        if (!c.isObject()) {
            throw new ExerciseException("field 'control' must be an object");
        }
        String role = text(c, "role");
        if (!Names.isValid(role) || Receipt.isRelayName(role)) {
            throw new ExerciseException("control.role '" + role + "' is not a valid role name");
        }
        return Optional.of(new ExerciseControl(role, ControlReads.parse(text(c, "reads"))));
    }

    /**
     * Checks that every participant has its private channel with control (control's injects go
     * there, the participant's questions come back on it) and, when control reads content, makes
     * control an observer of every channel it is not a member of.
     */
    private static List<Channel> controlChannels(ExerciseControl control, List<Role> roles, List<Channel> channels)
            throws ExerciseException {
        for (Role r : roles) {
            if (r.id().equals(control.role())) {
                continue;
            }
            boolean hasLine = channels.stream().anyMatch(c -> c.members().size() == 2 && c.hasMember(control.role())
                    && c.hasMember(r.id()));
            if (!hasLine) {
                throw new ExerciseException("role " + r.id() + " has no private channel with exercise control '"
                        + control.role() + "'");
            }
        }
        if (control.reads() != ControlReads.CONTENT) {
            return channels;
        }
        List<Channel> out = new ArrayList<>();
        for (Channel c : channels) {
            out.add(c.hasMember(control.role()) ? c
                    : new Channel(c.id(), c.name(), c.members(), List.of(control.role())));
        }
        return out;
    }

    private static JsonNode required(JsonNode node, String field) throws ExerciseException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ExerciseException("missing field '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode node, String field) throws ExerciseException {
        JsonNode v = required(node, field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new ExerciseException("field '" + field + "' must be a non-empty string");
        }
        return v.asText();
    }

    private static Iterable<JsonNode> array(JsonNode node, String field) throws ExerciseException {
        JsonNode v = required(node, field);
        if (!v.isArray() || v.isEmpty()) {
            throw new ExerciseException("field '" + field + "' must be a non-empty array");
        }
        return v;
    }

    /**
     * The languages a role reads: {@code "languages": ["en", "hi"]}, or the older single
     * {@code "language": "en"}; English when neither is given.
     */
    private static List<String> languages(JsonNode role, String roleId) throws ExerciseException {
        List<String> out = new ArrayList<>();
        JsonNode list = role.get("languages");
        if (list == null || list.isNull()) {
            out.add(role.path("language").asText("en"));
        } else {
            if (!list.isArray() || list.isEmpty()) {
                throw new ExerciseException("role " + roleId + ": field 'languages' must be a non-empty array");
            }
            list.forEach(l -> out.add(l.asText()));
        }
        for (String l : out) {
            if (!LANGUAGE_CODE.matcher(l).matches()) {
                throw new ExerciseException("role " + roleId + ": language '" + l + "' is not a language code like en, hi, ur");
            }
        }
        unique(out, "language of role " + roleId);
        return out;
    }

    private static ZoneId zone(JsonNode node, String field) throws ExerciseException {
        String z = text(node, field);
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw new ExerciseException("field '" + field + "': unknown time zone '" + z + "'");
        }
    }

    private static void unique(List<String> ids, String what) throws ExerciseException {
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                throw new ExerciseException("duplicate " + what + " id '" + id + "'");
            }
        }
    }
}
