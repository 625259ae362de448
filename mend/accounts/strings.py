"""Words the survivor pages' scripts show, translated on the server (passed by json_script).

Keys are the stable `code`s of API errors and the scripts' own messages; the words every
page shares (error_generic, network, session_ended) are in mend/lib/runtime.py.
Placeholders in braces ({minutes}) are filled in by the script. Plain, calm, never blaming.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def passphrase_again_words() -> dict[str, Promise]:
    """What lib/passphrase-again.js says, on every page that asks her passphrase again
    (deleting records, withdrawing or editing a Find others entry)."""
    return {
        "passphrase_needed": _("Write your passphrase first."),
        "checking_passphrase": _("Checking your passphrase…"),
        "wrong_passphrase": _("That passphrase is not right."),
        "passphrase_rate_limited": _("Too many attempts. Please wait a while and try again."),
    }


def messages() -> dict[str, Promise]:
    return {
        "rate_limited": _("Too many attempts. Please wait 15 minutes and try again."),
        "open_failed": _("Your record could not be opened in this browser. Please log in again."),
        "username_invalid": _(
            "A username has 3 to 40 letters, numbers, dots, dashes or underscores."
        ),
        "username_taken": _("This username is already taken. Please choose another one."),
        "username_missing": _("Please type your username."),
        "passphrase_missing": _("Please type your passphrase."),
        "passphrase_short": _("Please choose a passphrase of at least 12 characters."),
        "passphrase_mismatch": _("The two passphrases are not the same. Please type them again."),
        "wrong_credentials": _("The username or the passphrase is not right."),
        "wrong_recovery": _("The username or the recovery key is not right."),
        "wrong_passphrase": _("That passphrase is not right."),
        "params_invalid": _("Something went wrong. Nothing was changed. Please try again."),
        "params_weak": _("Something went wrong. Nothing was changed. Please try again."),
        "malformed": _("Something went wrong. Nothing was changed. Please try again."),
        # A new random vault id is picked on the next try, so trying again is the answer.
        "vault_id_taken": _("Something went wrong. Nothing was changed. Please try again."),
        "not_confirmed": _("Please tick the box to confirm."),
        "creating": _("Creating your private record. This takes a few seconds…"),
        "opening": _("Opening your record. This takes a few seconds…"),
        "recovering": _("Checking your recovery key. This takes a few seconds…"),
        "changing": _("Changing your passphrase. This takes a few seconds…"),
        "deleting": _("Deleting everything…"),
        "passphrase_changed": _("Your passphrase is changed. Use the new one next time."),
        "words_count": _("A recovery key has 24 words (an older one has 33). You typed {count}."),
        "words_unknown": _(
            "Word {position} (“{word}”) is not one of the recovery words. Please check it."
        ),
        "words_checksum": _(
            "One of the words is not right. Please compare each word with what you wrote down."
        ),
    }
