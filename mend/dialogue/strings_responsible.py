"""Words the responsible person's page scripts show, translated on the server (json_script).

Keys are stable codes: the API's refusal codes, case.js's refusal codes, screening states,
return and closure reasons, and the scripts' own messages. Plain and calm; they speak to
him directly and never name her account.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def join_strings() -> dict[str, Promise]:
    return {
        "creating": _("Creating your account. This takes a few seconds…"),
        "code_missing": _("Please type the invitation code the facilitator gave you."),
        "code_short": _("An invitation code has 20 letters and numbers. Please check it."),
        "bad_code": _(
            "This invitation code is not valid, has expired or was already used. Please "
            "check it, or ask the facilitator for a new one."
        ),
        "rate_limited": _("Too many attempts. Please wait an hour and try again."),
    }


def screening_words() -> dict[str, Promise]:
    return {
        "screening_pending": _("Waiting for a facilitator to read it"),
        "screening_approved": _("Accepted by a facilitator and passed on"),
        "screening_approved_letter": _("Accepted by a facilitator and kept in the letter bank"),
        "screening_approved_ack": _("Accepted by a facilitator"),
        "screening_returned": _("Returned to you to revise"),
        "screening_rejected": _("Not accepted; it will not be passed on"),
        "reason_asks_forgiveness": _(
            "It asks for forgiveness, a reply or contact. Nothing may be asked in return."
        ),
        "reason_excuses": _("It makes excuses or puts blame elsewhere."),
        "reason_identifying": _("It holds details that could identify or locate someone."),
        "reason_bargaining": _("It contains legal threats or bargaining."),
        "reason_harmful": _("It could cause harm as written."),
        "reason_minimises": _("It denies or minimises what happened."),
        "reason_other": _("Something else: the facilitator will explain it to you."),
        "return_note": _("The facilitator's note to you: {text}"),
    }


def plan_words() -> dict[str, Promise]:
    return {
        "plan_apology": _("Apology"),
        "plan_treatment": _("Counselling or a treatment programme"),
        "plan_training": _("Mend training modules"),
        "plan_restitution": _("Restitution"),
        "plan_no_contact": _("No-contact commitment"),
        "plan_behaviour": _("Behaviour commitment"),
        "plan_due": _("Due on {date}"),
        "plan_due_soon": _("Due soon: {what}, by {date}"),
        "plan_overdue": _("Past its due date: {what}, due {date}"),
        "plan_agreed": _("Agreed"),
        "plan_waiting": _("Proposed, waiting for an answer"),
        "plan_completed": _("Recorded as completed"),
        "plan_missed": _("Recorded as not completed"),
        "plan_none": _("There are no plan items yet."),
    }


def page_words() -> dict[str, Promise]:
    return {
        **screening_words(),
        **plan_words(),
        "loading": _("Opening the dialogue in this browser…"),
        "ready": _("The dialogue is open."),
        "shared_mine": _("Your facilitator can read what you wrote now."),
        "sending": _("Locking and sending…"),
        "sent": _("Sent. A facilitator will read it before anything is passed on."),
        "text_missing": _("Please write something first."),
        "text_long": _("This is too long: please keep it under {max} characters."),
        "revision_of": _("Revision {revision}"),
        "nothing_yet": _("Nothing yet."),
        "no_messages": _("No message has been passed on to you yet."),
        "warning_label": _("Content note from the writer:"),
        "show": _("Show the message"),
        "refused_item": _(
            "This message could not be checked in your browser, so it is not shown. "
            "Please tell your facilitator."
        ),
        "written_on": _("Written on {date}"),
        "kind_acknowledgment": _("Acknowledgment"),
        "kind_message": _("Message"),
        "kind_letter": _("Letter"),
        "write_new_version": _("Write a new version"),
        "dialogue_with": _("Your dialogue with {name}"),
        "end_confirm": _("Please tick the box first: ending cannot be undone."),
        "draft_restored": _(
            "What you typed before you were signed out is back in the form. It is not sent yet."
        ),
        "feedback_thanks": _("Thank you. Your answers were stored with no link to you."),
        # API and case.js refusals he may meet.
        "paused": _("The dialogue is paused. Nothing can be sent until it resumes."),
        "closed": _("This dialogue has ended. Nothing more can be sent."),
        "wrong_stage": _("This cannot be sent at this stage of the dialogue."),
        "letter_bank": _(
            "The other person chose to receive letters only. You can write a letter for the "
            "letter bank; messages cannot be sent."
        ),
        "not_returned": _("Only a returned text can be revised."),
        "bad_revision": _("This text was already revised."),
        "no_team_key": _(
            "The facilitator's key is not ready yet, so nothing can be sent. Please try "
            "again later."
        ),
        "unvouched_reader": _(
            "A facilitator's key has not been confirmed yet, so nothing can be sent. "
            "Please try again later."
        ),
        "key_mismatch": _(
            "Your key for this dialogue does not open in this browser. Please log in again."
        ),
        "open_failed": _("The dialogue could not be opened in this browser. Please log in again."),
        "rate_limited": _("You have sent a lot in a short time. Please wait and try again."),
    }


def stage_words() -> dict[int, tuple[Promise, Promise]]:
    """Each stage as he reads it: its name, and what happens next for him."""
    return {
        1: (_("Starting"), _("The dialogue has not reached you yet.")),
        2: (_("Starting"), _("The dialogue has not reached you yet.")),
        3: (
            _("Your acknowledgment"),
            _(
                "Write your acknowledgment below. A facilitator reads it first; nothing else "
                "happens until a facilitator accepts it."
            ),
        ),
        4: (
            _("Preparation"),
            _(
                "Your acknowledgment was accepted. A facilitator will prepare the exchange "
                "with you. Read what it involves below."
            ),
        ),
        5: (
            _("The exchange"),
            _(
                "You can write messages and letters. A facilitator reads each one before "
                "anything is passed on."
            ),
        ),
        6: (
            _("The accountability plan"),
            _(
                "A facilitator writes the plan's items with you. Each has a due date and a way "
                "to check it was done."
            ),
        ),
        7: (
            _("Keeping to the plan"),
            _(
                "Do what the plan asks by each due date. A facilitator checks each item and "
                "records whether it was done."
            ),
        ),
        8: (_("Ended"), _("This dialogue has ended. Nothing more can be sent.")),
    }


def closure_words() -> dict[str, Promise]:
    return {
        "completed": _("The dialogue was completed."),
        "survivor_ended": _(
            "The person who asked for this dialogue ended it. That is always their choice, "
            "and no reason is asked."
        ),
        "responsible_declined": _(
            "The dialogue ended on your side: it was ended from your account, or no "
            "acknowledgment was accepted."
        ),
        "stopped_for_safety": _("A facilitator ended the dialogue."),
        "non_compliance": _("A facilitator ended the dialogue because the plan was not kept."),
    }
