package org.hotline.client.ui.compose;

import java.util.List;
import javafx.geometry.HPos;
import javafx.geometry.VPos;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The fields of the chosen signal. Wide enough, each label sits beside its field; narrower than
 * {@link #STACK_BELOW} pixels, labels go above their fields and wrap, so no label is cut to
 * "Time o…" and no field is squeezed to nothing. Errors show under a field once it was touched.
 */
final class ParamForm {

    /** Below this width a label and a usable field no longer fit side by side. */
    static final double STACK_BELOW = 460;
    /** How much narrower a side-by-side form may get before it stacks: more than a scroll bar's width. */
    static final double SCROLL_BAR_SLACK = 20;

    private final GridPane grid = new GridPane();
    private final ComposeViewModel vm;
    private boolean stacked;

    ParamForm(ComposeViewModel vm) {
        this.vm = vm;
        grid.setId("param-form");
        grid.setHgap(8);
        grid.setVgap(4);
        grid.setMinWidth(0);
        grid.widthProperty().addListener((o, a, w) -> {
            // Side by side until clearly narrower: a vertical scroll bar (an error line appearing in
            // a form that just fitted) takes a dozen pixels, and must not re-build the fields under
            // the person's cursor, losing the focus and the field they were leaving.
            double limit = stacked ? STACK_BELOW : STACK_BELOW - SCROLL_BAR_SLACK;
            boolean narrow = w.doubleValue() > 0 && w.doubleValue() < limit;
            if (narrow != stacked) {
                stacked = narrow;
                render();
            }
        });
    }

    GridPane node() {
        return grid;
    }

    void render() {
        grid.getChildren().clear();
        grid.getColumnConstraints().clear();
        if (vm.selectedProperty().get() == null) {
            grid.add(wrapping(new Label("Choose a signal on the left.")), 0, 0);
            return;
        }
        if (vm.fields().isEmpty()) {
            grid.add(wrapping(new Label("This signal has no fields to fill.")), 0, 0);
            return;
        }
        ColumnConstraints labels = new ColumnConstraints();
        labels.setHalignment(HPos.LEFT);
        ColumnConstraints inputs = new ColumnConstraints();
        inputs.setHgrow(Priority.ALWAYS);
        inputs.setFillWidth(true);
        if (stacked) {
            labels.setHgrow(Priority.ALWAYS);
            labels.setFillWidth(true);
            grid.getColumnConstraints().add(labels);
        } else {
            // The label column takes what its longest label needs (up to a third), never less.
            labels.setMinWidth(Region.USE_PREF_SIZE);
            labels.setMaxWidth(220);
            grid.getColumnConstraints().addAll(labels, inputs);
        }
        int row = 0;
        List<ParamField> fields = List.copyOf(vm.fields());
        for (ParamField f : fields) {
            Label label = wrapping(new Label(f.label()));
            label.getStyleClass().add("param-label");
            TextField input = new TextField();
            input.setId("param-" + f.name());
            input.setPromptText(f.hint());
            input.textProperty().bindBidirectional(f.valueProperty());
            input.setPrefColumnCount(16);
            input.setMinWidth(120);
            input.setMaxWidth(Double.MAX_VALUE);
            input.focusedProperty().addListener((o, had, has) -> {
                if (had && !has) {
                    f.touchedProperty().set(true);
                }
            });
            label.setLabelFor(input);
            Label error = wrapping(new Label());
            error.setId("error-" + f.name());
            error.textProperty().bind(f.errorProperty());
            error.getStyleClass().add("field-error");
            error.visibleProperty().bind(f.showErrorProperty());
            error.managedProperty().bind(error.visibleProperty());
            // A message reference is shown as the message it names, not only as hex digits.
            Label names = wrapping(new Label());
            names.setId("names-" + f.name());
            names.getStyleClass().add("hint");
            names.textProperty().bind(f.descriptionProperty());
            names.visibleProperty().bind(f.descriptionProperty().isNotEmpty().and(f.errorProperty().isEmpty()));
            names.managedProperty().bind(names.visibleProperty());
            if (stacked) {
                grid.add(label, 0, row++);
                grid.add(input, 0, row++);
                grid.add(error, 0, row++);
                grid.add(names, 0, row++);
            } else {
                GridPane.setValignment(label, VPos.CENTER);
                grid.add(label, 0, row);
                grid.add(input, 1, row++);
                grid.add(error, 1, row++);
                grid.add(names, 1, row++);
            }
        }
    }

    boolean stacked() {
        return stacked;
    }

    private static Label wrapping(Label l) {
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }
}
