package dev.statelens.debugger.ui;

import dev.statelens.engine.record.store.EventInfo;
import dev.statelens.engine.record.store.EventKind;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;

/**
 * The State Flow view's event list, a read-only combo that follows the selected step: at a step
 * with an event it shows that event ("step 113: first NaN in weight"), elsewhere a first entry
 * "no event at step 37" whose tooltip names the nearest events (in the normal text colour: greyed,
 * GTK greys the arrow too and the list looked disabled). A read-only combo cannot
 * show text that is not one of its items, so without that entry it went blank at every step
 * without an event (and stayed blank at a step with one, unless reached through Next event).
 * Choosing an event selects its step.
 */
final class EventList {
  private final Combo combo;
  private List<EventInfo> events = List.of();
  private String[] labels = new String[0];
  /** Whether item 0 is the "no event at step N" entry (the events then start at 1). */
  private boolean placeholder;
  private String emptyTooltip = "";

  EventList(Composite parent, LongConsumer goToStep) {
    combo = new Combo(parent, SWT.READ_ONLY);
    combo.addListener(SWT.Selection, e -> {
      EventInfo chosen = selectedEvent();
      if (chosen != null) {
        goToStep.accept(chosen.step());
      }
    });
  }

  Combo combo() {
    return combo;
  }

  List<EventInfo> events() {
    return events;
  }

  /**
   * The events of the shown function (an empty list greys the combo out with {@code emptyTooltip});
   * the items are rebuilt only when the events changed, so a live run's re-read every second
   * keeps an open list and the selection.
   */
  void setEvents(List<EventInfo> newEvents, String emptyTooltip) {
    this.emptyTooltip = emptyTooltip;
    String[] newLabels = newEvents.stream().map(EventList::label).toArray(String[]::new);
    events = List.copyOf(newEvents);
    combo.setEnabled(!events.isEmpty());
    if (Arrays.equals(newLabels, labels) && combo.getItemCount() == labels.length + (placeholder ? 1 : 0)) {
      return;
    }
    labels = newLabels;
    placeholder = false;
    combo.setItems(labels);
    combo.setToolTipText(events.isEmpty() ? emptyTooltip : "Choose an event to go to its step");
  }

  /**
   * Shows what happened at {@code step}: its event (the one already chosen when there are several
   * at that step), else "no event at step N".
   */
  void follow(long step) {
    if (events.isEmpty() || step < 0) {
      return;
    }
    EventInfo shown = selectedEvent();
    if (shown != null && shown.step() == step) {
      return;
    }
    int at = -1;
    for (int i = 0; i < events.size() && at < 0; i++) {
      if (events.get(i).step() == step) {
        at = i;
      }
    }
    if (at >= 0) {
      if (placeholder) {
        combo.remove(0);
        placeholder = false;
      }
      combo.select(at);
      combo.setToolTipText("Choose an event to go to its step");
      return;
    }
    String text = noEventText(step);
    if (placeholder) {
      combo.setItem(0, text);
    } else {
      combo.add(text, 0);
      placeholder = true;
    }
    combo.select(0);
    combo.setToolTipText(nearest(step) + " Choose one to go to its step.");
  }

  /** The shown text: an event's label, "no event at step N", or "" (no events). */
  String text() {
    int i = combo.getSelectionIndex();
    return i < 0 ? "" : combo.getItem(i);
  }

  /** The event shown in the combo, or null (none, or the "no event" entry). */
  EventInfo selectedEvent() {
    int i = combo.getSelectionIndex() - (placeholder ? 1 : 0);
    return i >= 0 && i < events.size() ? events.get(i) : null;
  }

  static String noEventText(long step) {
    return "no event at step " + step;
  }

  /** "No event at step 37. Before it: step 25 (retrace); after it: step 40 (stale state in params.w)." */
  private String nearest(long step) {
    EventInfo before = null, after = null;
    for (EventInfo e : events) {
      if (e.step() < step && (before == null || e.step() > before.step())) {
        before = e;
      }
      if (e.step() > step && (after == null || e.step() < after.step())) {
        after = e;
      }
    }
    StringBuilder b = new StringBuilder("No event at step " + step + ".");
    if (before != null) {
      b.append(" Before it: step ").append(before.step()).append(" (").append(describe(before)).append(")");
    }
    if (after != null) {
      b.append(before != null ? "; after it: " : " After it: ").append("step ").append(after.step())
          .append(" (").append(describe(after)).append(")");
    }
    return before != null || after != null ? b.append('.').toString() : b.toString();
  }

  /** A list entry: "step 113: first NaN in weight", "step 25: retrace". */
  static String label(EventInfo e) {
    return "step " + e.step() + ": " + describe(e);
  }

  /** An event in words: "first NaN in weight", "stale state in params.w", "retrace". */
  static String describe(EventInfo e) {
    return kind(e.kind()) + (e.path() == null ? "" : " in " + e.path());
  }

  /** The user's words for an event kind (the run store keeps identifiers such as first_nan). */
  static String kind(String kind) {
    return switch (kind) {
      case EventKind.FIRST_NAN -> "first NaN";
      case EventKind.FIRST_INF -> "first Inf";
      case EventKind.RETRACE -> "retrace";
      case EventKind.STALE_STATE -> "stale state";
      case EventKind.TRACER_LEAK -> "leaked tracer";
      case EventKind.ERROR -> "error";
      default -> kind.replace('_', ' ');
    };
  }
}
