"""The words of the survivor's dialogue pages: stage names and what happens next, and the
words her page script needs (through mend.lib.runtime.page_strings)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Each stage as she sees it: its name and what happens next (A.10, docs/dialogue.md).
STAGES: dict[int, tuple[Promise, Promise]] = {
    1: (
        _("Your request and consent"),
        _(
            "Read what taking part means and give your written consent. A facilitator is then "
            "assigned and talks with you about whether this is right for you now."
        ),
    ),
    2: (
        _("Readiness and safety"),
        _(
            "A facilitator talks with you about your safety and whether you feel ready. Nothing "
            "is sent to the other person at this stage."
        ),
    ),
    3: (
        _("Inviting the person responsible"),
        _(
            "The facilitator contacts the person responsible. Nothing goes further unless they "
            "admit responsibility in their own words and a facilitator accepts it."
        ),
    ),
    4: (
        _("Preparation"),
        _(
            "The facilitator prepares each of you: what you hope for, what can realistically "
            "happen, and the rules of the exchange."
        ),
    ),
    5: (
        _("The exchange"),
        _(
            "You can write messages. A facilitator reads every message before it is passed on, "
            "in both directions. You set the pace."
        ),
    ),
    6: (
        _("The accountability plan"),
        _(
            "The facilitator writes specific commitments for the person responsible, each with a "
            "date and a way to check it. You accept or decline each one. You are never asked to "
            "forgive."
        ),
    ),
    7: (
        _("Checking the commitments"),
        _(
            "The facilitator checks each commitment when it is due, and tells you whether it was "
            "kept, unless you chose not to be told."
        ),
    ),
    8: (
        _("Closed"),
        _("Nothing more is sent or asked. If you wish, you can tell us how it went, anonymously."),
    ),
}

#: Why a case closed, in her words.
CLOSURES: dict[str, Promise] = {
    "completed": _("It closed after the commitments were checked."),
    "survivor_ended": _("You ended it."),
    "responsible_declined": _(
        "It closed because the person responsible did not admit responsibility."
    ),
    "stopped_for_safety": _("A facilitator closed it for safety."),
    "non_compliance": _("It closed because the person responsible did not keep their commitments."),
}


def script_strings() -> dict[str, Promise]:
    """The words of static/js/dialogue/survivor/ (codes the scripts pass to t())."""
    return {
        "dialogue_requesting": _("Asking for a dialogue…"),
        "not_offered": _(
            "Mend cannot offer a dialogue here yet: no trained facilitator is available. "
            "Nothing was saved."
        ),
        "opening": _("Opening your dialogue…"),
        "opened": _("Your dialogue is open."),
        "shared_mine": _("Your facilitator can read what you wrote now."),
        "saving": _("Saving…"),
        "saved": _("Saved."),
        "sending": _("Locking and sending your message…"),
        "sent": _("Your message was sent to the facilitator, who reads it before anything else."),
        "draft_back": _(
            "The message you were writing when you were signed out is back. It is not sent yet."
        ),
        "empty_message": _("Write your message first."),
        "no_team_key": _(
            "The facilitator has not set up their key for this dialogue yet, so nothing can be "
            "sent. Please try again later."
        ),
        "unvouched_reader": _(
            "The facilitator has not yet confirmed the keys of this dialogue with you. Compare "
            "your key's fingerprint with theirs first."
        ),
        "state_pending": _("Waiting for the facilitator to read it"),
        "state_approved": _("Passed on"),
        "state_returned": _("Returned to you"),
        "state_rejected": _("Not passed on"),
        "read_yes": _("They have opened it."),
        "read_no": _("They have not opened it yet."),
        "returned_because": _("Returned because: {reason}"),
        "return_note": _("The facilitator's note to you: {text}"),
        "reason_asks_forgiveness": _("it asks for forgiveness, a reply or contact"),
        "reason_excuses": _("it makes excuses or blames"),
        "reason_identifying": _("it has details that could identify or locate someone"),
        "reason_bargaining": _("it makes legal threats or bargains"),
        "reason_harmful": _("it could cause harm"),
        "reason_minimises": _("it denies or minimises what happened"),
        "reason_other": _("something the facilitator will explain to you"),
        "revise": _("Write a new version"),
        "revision": _("Version {n}"),
        "written_on": _("Written on {date}"),
        "warning_label": _("Content warning: {warning}"),
        "copy_title": _("Your dialogue in Mend, as your browser could read it on {date}"),
        "copy_note": _(
            "Made in your browser; Mend's server never saw this file. Anyone who has it can "
            "read it."
        ),
        "copy_you": _("You"),
        "copy_him": _("The person responsible"),
        "copy_team": _("The facilitators"),
        "copy_kind_message": _("Message"),
        "copy_kind_acknowledgment": _("Their acknowledgment"),
        "copy_kind_letter": _("Letter"),
        "copy_kind_plan_item": _("A commitment of the plan"),
        "copy_kind_return_note": _("A note on a message of yours they returned"),
        "copy_saved": _("Your copy is saved as a file on this device."),
        "no_warning": _("They added no content warning."),
        "show": _("Show the message"),
        "show_letter": _("Open the letter"),
        "hide": _("Hide it again"),
        "letter_from": _("A letter deposited on {date}"),
        "acknowledgment": _("Their acknowledgment, accepted on {date}"),
        "refused_item": _(
            "This message could not be checked, so it is not shown. It may have been changed "
            "after it was written. Please tell your facilitator."
        ),
        "nothing_yet": _("Nothing here yet."),
        "plan_due": _("Due on {date}"),
        "plan_accept": _("Accept"),
        "plan_decline": _("Decline"),
        "plan_accepted": _("You accepted this commitment."),
        "plan_declined": _("You declined this commitment."),
        "outcome_completed": _("Kept: the facilitator checked it was done."),
        "outcome_missed": _("Missed: it was not done by its date."),
        "outcome_open": _("Not checked yet."),
        "news_completed": _(
            "News: the person responsible kept a commitment ({kind}, due on {date})."
        ),
        "news_missed": _(
            "News: the person responsible missed a commitment ({kind}, due on {date})."
        ),
        "outcome_hidden": _("You chose not to be told whether it was kept."),
        "kind_apology": _("Apology"),
        "kind_treatment": _("Counselling or a treatment programme"),
        "kind_training": _("Mend training modules"),
        "kind_restitution": _("Restitution"),
        "kind_no_contact": _("No-contact commitment"),
        "kind_behaviour": _("Behaviour commitment"),
        "feedback_thanks": _("Thank you. Your answers were stored with no link to you."),
        "key_failed": _(
            "Your key for this dialogue could not be opened in this browser. Please log out "
            "and in again; if it keeps happening, tell your facilitator."
        ),
    }
