package org.hotline.client.ui.app;

import java.util.Optional;
import java.util.function.Function;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * Asks for the credential's passphrase. {@code attempt} tries it and returns an error to show
 * (wrong passphrase: the person may retry) or empty when the credential opened.
 */
public final class PassphraseDialog {

    private final Stage stage = new Stage();
    private final PasswordField field = new PasswordField();
    private final Label error = new Label();
    private boolean accepted;

    public PassphraseDialog(String who, Function<char[], Optional<String>> attempt) {
        Label prompt = new Label("Passphrase for " + who);
        prompt.getStyleClass().add("section-title");
        field.setId("passphrase");
        field.setPromptText("passphrase");
        error.setId("passphrase-error");
        error.setWrapText(true);
        error.getStyleClass().add("field-error");
        Button ok = new Button("Open");
        ok.setId("passphrase-ok");
        ok.setDefaultButton(true);
        Button cancel = new Button("Cancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> stage.close());
        ok.setOnAction(e -> {
            char[] pass = field.getText().toCharArray();
            Optional<String> problem = attempt.apply(pass);
            java.util.Arrays.fill(pass, '\0');
            if (problem.isEmpty()) {
                accepted = true;
                stage.close();
            } else {
                error.setText(problem.get());
                field.clear();
                field.requestFocus();
            }
        });
        VBox box = new VBox(10, prompt, field, error, new HBox(8, ok, cancel));
        box.setPadding(new Insets(16));
        box.setPrefWidth(420);
        Scene scene = new Scene(box);
        scene.getStylesheets().add(PassphraseDialog.class.getResource("/org/hotline/client/ui/hotline.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle("Hotline \u2014 open credential");
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
