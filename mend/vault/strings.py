"""Words the vault pages' scripts show, translated on the server (passed by json_script)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mend.accounts.strings import passphrase_again_words


def messages() -> dict[str, Promise]:
    return {
        "saving": _("Saving…"),
        # Deleting records takes her passphrase again (lib/passphrase-again.js).
        **passphrase_again_words(),
        "saved": _("Saved. This is version {version}, received by Mend on {date}."),
        "draft_restored": _(
            "What you typed before you were signed out is back in the form. It is not saved "
            "yet: press Save to keep it."
        ),
        "file_too_large": _(
            "“{name}” is larger than {limit}, so it was not added. Nothing was saved. You could "
            "add a smaller copy (a screenshot instead of a video, for example), or keep it "
            "somewhere safe and write down where under Evidence."
        ),
        "attachment_too_large": _(
            "A file is larger than {limit}, so it was not added. Nothing was saved."
        ),
        "too_many_files": _("Please add at most 5 files at a time. Nothing was saved."),
        "too_many_attachments": _("This record has as many files as it can hold."),
        "record_too_large": _("This record is too long to save in one piece."),
        "quota_exceeded": _(
            "Your records use all the storage space an account has, so this was not saved. "
            "Nothing was lost. You could delete a record or a file you no longer need, or "
            "download an export and keep it somewhere safe."
        ),
        "save_rate_limited": _(
            "Mend has received many saves from this account in a short time, so this was not "
            "saved. Please wait a few minutes, then try again."
        ),
        "import_too_large": _(
            "A record in this file is larger than Mend can import. Nothing more was imported."
        ),
        "version_conflict": _(
            "This record was saved from another window meanwhile. Copy anything you want to "
            "keep, then reload the page."
        ),
        "conflict": _("This was saved at the same time elsewhere. Please reload the page."),
        "record_from": _("Record from {date}"),
        "last_saved": _("Last saved {date} · version {version}"),
        "records_count": _("Records: {n}"),
        "latest_version": _("Latest version (version {version})"),
        "earlier_version": _("Version {version}, saved {date}"),
        "download_file": _("Download “{name}”"),
        "no_files": _("No files."),
        "version_saved": _("Version {version}, saved {date}."),
        "show_version": _("Show this version"),
        "download_receipt": _("Download the receipt for version {version}"),
        "signed_elsewhere": _("(receipt signed by another Mend server)"),
        "nothing_written": _("Nothing written in this version."),
        "size_bytes": _("{n} bytes"),
        "size_kb": _("{n} KB"),
        "size_mb": _("{n} MB"),
        "print_heading": _("Printed from Mend on {date}. This copy is not locked."),
        "print_meta": _("Version {version}, saved {date}. Record {id}."),
        "print_files": _("Files kept with this record: {names}"),
        "import_no_file": _("Please choose the export file."),
        "import_opening": _("Opening the export file. This takes a few seconds…"),
        "import_not_bundle": _("This file is not a Mend export."),
        "import_wrong_key": _("The passphrase or recovery key does not open this export."),
        "import_progress": _("Imported {done} of {total} records…"),
        "import_done": _(
            "Done: {imported} records imported, {skipped} already here. They are in your list."
        ),
        "import_receipt": _(
            "A receipt in this file does not match its record. Nothing more was imported."
        ),
        "import_invalid": _("This file is damaged or not a Mend export."),
        "already_exists": _("This record is already on this server."),
        "receipt_no_file": _("Please choose a receipt file."),
        "receipt_valid": _(
            "Genuine. Mend received version {version} of record {id} on {date} (UTC), "
            "exactly as the receipt says."
        ),
        "receipt_invalid": _("This receipt does not check out: {reason}"),
    }
