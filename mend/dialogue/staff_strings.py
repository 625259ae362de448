"""Words the facilitator's case page script shows (static/js/dialogue/staff/), translated on
the server (json_script): its own messages, and every refusal it may meet (the server's
codes and the shared module's, dialogue/case.js) in plain words."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mend.escrow.strings import own_key_words


def staff_strings() -> dict[str, Promise]:
    return {**_key_words(), **_case_words(), **_refusals()}


def _key_words() -> dict[str, Promise]:
    return {
        "passphrase_mismatch": _("The two passphrases are different."),
        "passphrase_short": _("Use at least 12 characters."),
        "wrong_passphrase": _("This key passphrase does not open your key."),
        "making_key": _("Making your key in this browser…"),
        "key_made": _("Your key is ready. Keep your key passphrase safe: nobody can reset it."),
        **own_key_words(),
        "opening": _("Opening the case in this browser…"),
        "opened": _("The case is open in this browser."),
        "key_replaced": _(
            "The case is open in this browser with your new staff key. What was sealed to your "
            "earlier key does not open with it: another facilitator of the case can share the "
            "earlier items with you again, and the parties can let you read what they wrote. "
            "What they write from now on reaches you. If you lead the case, compare "
            "fingerprints with the parties again and vouch for them."
        ),
        "working": _("Working in this browser…"),
        "refreshed": _("Up to date."),
    }


def _case_words() -> dict[str, Promise]:
    return {
        "state_active": _("Active"),
        "state_paused": _("Paused"),
        "state_closed": _("Closed"),
        "role_survivor": _("The survivor"),
        "role_responsible": _("The responsible person"),
        "role_lead": _("The lead facilitator"),
        "role_co": _("The co-facilitator"),
        "role_specialist": _("The survivor specialist"),
        "role_former": _("A former facilitator"),
        "party_you": _("{role} (you)"),
        "party_no_key": _(
            "No key yet: nothing can be sealed to this person until they open the case."
        ),
        "party_fingerprint": _("Key fingerprint:"),
        "party_your_key": _("Your own key, made from your staff key."),
        "party_lead_key": _("The lead facilitator's key."),
        "party_former": _(
            "Taken off this case by a supervisor: nothing more is sealed to them. What they "
            "wrote stays, checked by their staff key."
        ),
        "party_vouched": _("You vouched for this key."),
        "party_not_vouched": _(
            "Not vouched for yet: nothing from this person is shown, and nothing is sealed "
            "to them, until you do."
        ),
        "party_compared": _("They read me this fingerprint and every group matches"),
        "party_vouch": _("Vouch for this key"),
        "party_waits_for_lead": _("Waiting for the lead facilitator to vouch for this key."),
        "party_share_help": _(
            "If they joined after items were written, seal those to their key too: this browser "
            "opens each and seals its key to them; Mend's server never sees a word."
        ),
        "party_share": _("Share the earlier items with them"),
        "shared": _("{count} earlier items are now sealed to their key too."),
        "not_co_facilitator": _("Only a co-facilitator is given the earlier items."),
        "vouched": _("You vouched for the key."),
        "advanced": _("The case moved on to: {stage}."),
        "stop_recorded": _("The stop rule is recorded."),
        "resumed": _("The case goes on."),
        "assessed": _("The assessment is sealed and recorded."),
        "invited": _("Here is the code. Write it down now: it is not shown again."),
        "invitation_expires": _(
            "It works once, for {days} days. Hand it over yourself, outside Mend."
        ),
        "screening_recorded": _("Your decision is recorded."),
        "plan_added": _("The plan item is sealed and added."),
        "outcome_recorded": _("The outcome is recorded."),
        "written_on": _("Written {date}"),
        "assessment_summary": _("{subject}: {decision}"),
        "decision_proceed": _("proceed"),
        "decision_defer": _("defer"),
        "decision_stop": _("stop"),
        "assessment_rule": _("Rule: {rule}"),
        "assessment_checks": _("Reasons to stop or defer"),
        "assessment_note": _("Other notes"),
        "show_answers": _("Show the answers"),
        "content_warning": _("Content warning from the author: {warning}"),
        "show_text": _("Show the text"),
        "item_heading": _("{kind} from {author}, version {revision}"),
        "kind_acknowledgment": _("Acknowledgment"),
        "kind_message": _("Message"),
        "kind_letter": _("Letter"),
        "earlier_revision": _("Version {revision}, returned: {reason}"),
        "show_history": _("Earlier versions ({count})"),
        "approve": _("Approve and pass it on"),
        "return_reason": _("Reason to return it"),
        "return": _("Return to the author"),
        "return_note": _(
            "A note to the author (optional): what to change. It is sealed in your browser "
            "to the author and the team only."
        ),
        "screened_note": _("Your team's note to the author: {text}"),
        "reject": _("Reject"),
        "screened_approved": _("approved"),
        "screened_rejected": _("rejected"),
        "screened_returned": _("returned: {reason}"),
        "plan_due": _("Due {date}"),
        "plan_state": _("The survivor's answer: {answer}. Outcome: {outcome}."),
        "plan_module": _("Mend training module: {module}"),
        "plan_checked": _("How it will be checked: {how}"),
        "answer_pending": _("not given yet"),
        "answer_accepted": _("accepted"),
        "answer_declined": _("declined"),
        "outcome_open": _("open"),
        "outcome_completed": _("completed"),
        "outcome_missed": _("missed"),
        "record_completed": _("Completed"),
        "record_missed": _("Missed"),
        "reminder_to_verify": _(
            "Due {date}: check whether it was done, and record the outcome below."
        ),
        "reminder_monitoring_over": _(
            "Monitoring has run its full time: close the case, or record why it goes on."
        ),
    }


def _refusals() -> dict[str, Promise]:
    """The server's refusal codes (mend.dialogue.stages, actions) and the shared module's,
    as she can act on them."""
    return {
        "no_consent": _("The survivor has not given written consent yet."),
        "not_assessed": _(
            "No readiness and safety assessment has decided to proceed yet. Record one first."
        ),
        "no_acknowledgment": _(
            "The case cannot go on: no acknowledgment of responsibility has been approved. "
            "Without one, no exchange ever starts."
        ),
        "no_plan": _("The survivor has not accepted any plan item yet."),
        "closed": _("This case has ended: nothing more can be done in it."),
        "paused": _("The case is paused: nothing moves or is passed on until it resumes."),
        "not_paused": _("The case is not paused."),
        "not_yours": _("This step is not yours to take."),
        "stop_rule_needed": _("To end the case, record the stop rule that applies."),
        "wrong_stage": _("This cannot be done at the case's current stage."),
        "letter_bank": _(
            "The survivor chose the letter bank: only the letters of the person responsible are "
            "passed on, and no message either way, until the survivor changes it. A waiting "
            "message can still be returned or rejected."
        ),
        "joined": _("The responsible person has joined already."),
        "rate_limited": _("Too many attempts. Please wait a while and try again."),
        "screened": _("Someone has screened this already."),
        "bad_decision": _("Choose to approve, return or reject."),
        "reason_needed": _("Choose the reason that applies."),
        "note_fields": _("The note could not go with this return. Nothing was changed."),
        "noted": _("This returned item has its note already."),
        "no_recipient_key": _("The other party has no key yet, so it cannot be passed on."),
        "recipient_key_needed": _("The other party has no key yet, so it cannot be passed on."),
        "assessment_fields": _("Choose who is assessed and your decision."),
        "plan_fields": _("A plan item needs a kind and a due date."),
        "plan_incomplete": _(
            "Write what the person responsible commits to, how it will be checked, and a due date."
        ),
        "not_open": _("Only an accepted, open plan item gets an outcome."),
        "no_team_key": _("A facilitator has no key for this case yet."),
        "no_key": _("A key is missing: the person must open the case first."),
        "key_registered": _("A key is already registered for you in this case."),
        "key_mismatch": _(
            "Your key for this case is not the one Mend lists. Nothing was opened: tell your "
            "supervisor."
        ),
        "staff_key_changed": _(
            "This case was opened with an earlier staff key of yours. Nothing was opened: tell "
            "your supervisor."
        ),
        "key_does_not_open": _(
            "Your stored case key does not open with this staff key. If your earlier staff key "
            "was retired, ask a counselor to vouch for your new one, then open the case again."
        ),
        "key_retired": _(
            "Your staff key was retired: open the case again with your new one once a "
            "counselor has vouched for it."
        ),
        "not_opened": _("It could not be opened and checked here, so it cannot be approved."),
        "unvouched_reader": _(
            "Someone's key has not been vouched for yet: compare fingerprints and vouch first."
        ),
        "fingerprint_differs": _(
            "This key is not the one whose fingerprint is shown. Nothing was signed."
        ),
        "wrong_readers": _(
            "Someone joined the case meanwhile. Look for anything new, then try again."
        ),
        "no_reader_key": _(
            "The co-facilitator has not opened the case yet: they need a key first."
        ),
        "not_compared": _("Tick that you compared the fingerprint before you vouch."),
        "bad_signature": _("The signature did not check out. Nothing was recorded."),
        "not_found": _("It is no longer there. Reload the page."),
        "malformed": _("Mend could not read what was sent. Nothing was changed."),
        "refused_no_author_key": _("Not shown: its author has no key listed."),
        "refused_unvouched_author": _(
            "Not shown yet: vouch for its author's key first (compare fingerprints)."
        ),
        "refused_not_sealed": _("Not shown: it was not sealed to your key."),
        "refused_bad_signature": _(
            "Not shown: its signature does not check out, so it may have been changed."
        ),
        "refused_does_not_open": _("Not shown: it does not open with your key."),
        "refused_malformed": _("Not shown: it could not be read."),
    }
