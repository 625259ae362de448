"""Words the counselor workspace scripts show, translated on the server (json_script)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mend.escrow.strings import own_key_words


def counselor_strings() -> dict[str, Promise]:
    return {
        "passphrase_mismatch": _("The two passphrases are different."),
        "passphrase_short": _("Use at least 12 characters."),
        "wrong_passphrase": _("This key passphrase does not open your key."),
        "making_key": _("Making your key in this browser…"),
        "key_made": _("Your key is ready. Keep your key passphrase safe: nobody can reset it."),
        "opening": _("Opening the entries in this browser…"),
        "opened": _("{count} entries opened."),
        "share_rejected": _("The share from {entry} did not fit the others. It was not trusted."),
        "share_unchecked": _(
            "The share from {entry} could not be checked: too few other shares for that identifier."
        ),
        "entry_unopened": _("{entry} could not be opened."),
        "no_key": _("You have no key yet. Make one on your workspace page first."),
        "resealing": _("Sealing shares for your colleagues…"),
        "resealed": _("{count} shares sealed for colleagues."),
        "endorsing": _("Signing in this browser…"),
        "endorsed": _("You vouched for this key. New entries will be sealed to it."),
        "endorsed_facilitator": _(
            "You vouched for this key. The parties of this facilitator's dialogues can now "
            "write to them; no entry is ever sealed to it."
        ),
        "fingerprint_mismatch": _(
            "This key is not the one whose fingerprint is shown. Nothing was signed."
        ),
        **own_key_words(),
        "entry_of": _("Survivor {member}, entry {n}"),
        "kind_email": _("Email address"),
        "kind_phone": _("Phone number"),
        "identifiers": _("Identifiers"),
        "what": _("What they wrote"),
        "contact": _("How they want to be contacted"),
        "record_link": _("Linked to one of their private records (only they can open it)"),
        "received": _("Received {date}"),
        "contact_in_app": _("Only by message here in Mend"),
        "contact_phone": _("By phone"),
        "contact_email": _("By email"),
        "contact_other": _("Another way"),
    }
