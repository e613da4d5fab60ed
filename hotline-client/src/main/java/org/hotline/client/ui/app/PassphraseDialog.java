package org.hotline.client.ui.app;

import java.util.Optional;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * Asks for the credential's passphrase. {@code attempt} tries it and returns an error to show
 * (wrong passphrase: the person may retry) or empty when the credential opened. Opening a
 * credential derives its key with PBKDF2, slow on purpose, so {@code attempt} runs on a background
 * thread while the dialog shows that it is working and stays responsive.
 */
public final class PassphraseDialog {

    private final Stage stage = new Stage();
    private final PasswordField field = new PasswordField();
    private final Label error = new Label();
    private final ProgressIndicator progress = new ProgressIndicator();
    private final Label status = new Label();
    private final Function<char[], Optional<String>> attempt;
    private final Button ok = new Button("Open");
    private final Button cancel = new Button("Cancel");
    private boolean accepted;
    /** An attempt is running: the dialog cannot be closed or submitted again until it answers. */
    private boolean opening;

    public PassphraseDialog(String who, Function<char[], Optional<String>> attempt) {
        this.attempt = attempt;
        Label prompt = new Label("Passphrase for " + who);
        prompt.getStyleClass().add("section-title");
        field.setId("passphrase");
        field.setPromptText("passphrase");
        error.setId("passphrase-error");
        error.setWrapText(true);
        error.getStyleClass().add("field-error");
        ok.setId("passphrase-ok");
        ok.setDefaultButton(true);
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> stage.close());
        ok.setOnAction(e -> open(field.getText().toCharArray()));
        progress.setId("passphrase-progress");
        progress.setPrefSize(18, 18);
        progress.setVisible(false);
        status.setId("passphrase-status");
        stage.setOnCloseRequest(e -> {
            if (opening) {
                e.consume(); // the credential may open any moment; closing now would orphan it
            }
        });
        VBox box = new VBox(10, prompt, field, error, new HBox(8, ok, cancel, progress, status));
        box.setPadding(new Insets(16));
        box.setPrefWidth(420);
        Scene scene = new Scene(box);
        scene.getStylesheets().add(PassphraseDialog.class.getResource("/org/hotline/client/ui/hotline.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle("Hotline \u2014 open credential");
    }

    /** Runs the attempt off the FX thread; its answer comes back to the FX thread. */
    private void open(char[] pass) {
        setOpening(true);
        Thread worker = new Thread(() -> {
            Optional<String> problem;
            try {
                problem = attempt.apply(pass);
            } catch (RuntimeException e) {
                problem = Optional.of(String.valueOf(e.getMessage()));
            } finally {
                java.util.Arrays.fill(pass, '\0');
            }
            Optional<String> answer = problem;
            Platform.runLater(() -> answered(answer));
        }, "hotline-open-credential");
        worker.setDaemon(true);
        worker.start();
    }

    private void answered(Optional<String> problem) {
        setOpening(false);
        if (problem.isEmpty()) {
            accepted = true;
            stage.close();
        } else {
            error.setText(problem.get());
            field.clear();
            field.requestFocus();
        }
    }

    private void setOpening(boolean now) {
        opening = now;
        field.setDisable(now);
        ok.setDisable(now);
        cancel.setDisable(now);
        progress.setVisible(now);
        status.setText(now ? "Opening the credential\u2026" : "");
        if (now) {
            error.setText("");
        }
    }

    public Stage stage() {
        return stage;
    }

    /** Shows the dialog and waits; true if the credential opened. */
    public boolean showAndWait() {
        stage.showAndWait();
        return accepted;
    }
}
