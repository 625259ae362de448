"""Words the escrow scripts show, translated on the server (json_script).

The words every page shares (error_generic, network, session_ended) are added by
mend/lib/runtime.py page_strings.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mend.accounts.strings import passphrase_again_words
from mend.escrow.models import Decision, GroupState

#: What the counselor recorded about her, as her own pages say it (her thread page and her
#: copy); the workspace's words (models.Decision) speak of her, not to her.
DECISION_WORDS: dict[str, Promise] = {
    Decision.UNDECIDED: _("Your counselor has not recorded what you want yet."),
    Decision.MORE_TIME: _("Your counselor recorded that you want more time."),
    Decision.INFORMATION: _("Your counselor recorded that you want information only."),
    Decision.ACT_TOGETHER: _(
        "Your counselor recorded that you want to act together with the others."
    ),
    Decision.ACT_ALONE: _("Your counselor recorded that you want to act alone."),
    Decision.NO_ACTION: _("Your counselor recorded that you do not want to act."),
    Decision.WITHDREW: _("You withdrew your entry from this match."),
}

#: The match group's state, as her copy says it.
STATE_WORDS: dict[str, Promise] = {
    GroupState.OPEN: _("This match is open."),
    GroupState.CLOSED: _("Your counselor has closed this match."),
}

#: Her notices, as her home page says them (escrow/home.html) and her copy repeats them.
NOTICE_WORDS: dict[str, Promise] = {
    "match": _(
        "Someone else has named the same person as you. A counselor will contact you here, "
        "the way you chose."
    ),
    "message": _("You have a new message from your counselor."),
    "closed": _("Your counselor has closed the match. You can still read your messages."),
}


def own_key_words() -> dict[str, Promise]:
    """What a staff member's page says as she unlocks her own staff key to see its
    fingerprint (js/counselor/keys.js): the counselor workspace and a facilitator's list."""
    return {
        "opening_key": _("Opening your key in this browser…"),
        "own_key_swapped": _(
            "Mend's server lists a different key for you from the one your key passphrase "
            "opens, so your fingerprint cannot be shown. Do not read a fingerprint to anyone "
            "and do not ask anyone to vouch for your key: tell Mend's operator at once. "
            "Nothing was signed or sealed."
        ),
    }


def survivor_strings() -> dict[str, Promise]:
    return {
        **{f"decision_{code}": words for code, words in DECISION_WORDS.items()},
        **{f"state_{code}": words for code, words in STATE_WORDS.items()},
        **{f"notice_{kind}": words for kind, words in NOTICE_WORDS.items()},
        # Saving an edit and withdrawing take her passphrase again (lib/passphrase-again.js).
        **passphrase_again_words(),
        "locked": _("Your key is not in this tab. Log in again to continue."),
        "working": _("Locking your entry in this browser…"),
        "saved": _("Your entry is saved."),
        # Unsaved words kept through the idle sign-out come back (entry.js, thread.js).
        "entry_draft_back": _(
            "What you typed before you were signed out is back in the form. It is not saved "
            "yet: press Continue when you want to check it and save it."
        ),
        "message_draft_back": _(
            "The message you were writing when you were signed out is back. It is not sent yet."
        ),
        "not_verified": _("Your account needs to be verified first."),
        "keys_changed": _(
            "The counselors' keys changed while you were writing. Please press the button again."
        ),
        "not_open": _(
            "No counselor can receive entries yet, so nothing was saved. Please try again later."
        ),
        "rate_limited": _("You have looked up many identifiers today. Please try again tomorrow."),
        "conflict": _("This entry was changed somewhere else. Reload the page and try again."),
        "proof": _(
            "The server's answer could not be checked, so nothing was sent. Please try again later."
        ),
        "unendorsed_key": _(
            "A counselor key could not be checked, so nothing was sent. Please try again later."
        ),
        "need_identifier": _("Add at least one identifier."),
        "review_heading": _("Please check before you continue"),
        "identifier_n": _("Identifier {n}"),
        "kind_email": _("Email address"),
        "kind_phone": _("Phone number"),
        "names": _("Names: {list}"),
        "about_entry": _("About your entry: {names}"),
        "copy_title": _(
            "Your entries in Find others, safely, as your browser could read them on {date}"
        ),
        "copy_note": _(
            "Made in your browser; Mend's server never saw this file. Anyone who has it can "
            "read it, and the names you entered with it."
        ),
        "copy_unopened": _(
            "{count} of your entries could not be opened in this browser and are not in this copy."
        ),
        "copy_entry": _("Entry made on {date}"),
        "copy_matched": _("Matched"),
        "copy_waiting": _("Waiting"),
        "copy_label": _("Your name for it: {label}"),
        "copy_contact_in_app": _("Contact: only by message here in Mend"),
        "copy_contact_phone": _("Contact: by phone"),
        "copy_contact_email": _("Contact: by email"),
        "copy_contact_other": _("Contact: another way"),
        "copy_thread": _("Messages of the match of {date}"),
        "copy_decided": _("On {date}: {decision}"),
        "copy_notices": _("News"),
        "copy_counselor": _("Your counselor"),
        "copy_you": _("You"),
        "copy_saved": _("Your copy is saved as a file on this device."),
        "kind_social": _("Social media profile"),
        "id_kind": _("not a kind of identifier Mend knows"),
        "id_empty": _("This is empty."),
        "id_too_long": _("This is too long."),
        "id_email": _(
            "This does not look like an email address. "
            "Check it has one @ and a domain such as example.com."
        ),
        "id_phone": _(
            "This does not look like a phone number. "
            "Include the country code, for example +1 or +34."
        ),
        "id_social_platform": _("Choose the platform, or paste the link to the profile."),
        "id_social": _("This does not look like a profile link or username on that platform."),
        "id_social_not_profile": _(
            "This link is to a post or a page. Open the person's profile and copy that link."
        ),
        "id_youtube_legacy": _(
            "Old YouTube links are ambiguous. "
            "Open the channel and copy the link with @ or /channel/."
        ),
    }
