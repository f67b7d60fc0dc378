"""PDF of a DOCX by LibreOffice headless (`soffice --convert-to pdf`), so the PDF is the same document officials
open in Word or LibreOffice.

Each conversion runs in a temporary directory with its own LibreOffice user profile: two conversions at once, or a
profile left locked by a killed process, would otherwise make soffice hand the file to the other instance or wait
forever. The process runs in its own process group, killed whole when it outlives the timeout (soffice starts
oosplash and soffice.bin under it).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

BINARIES = ("soffice", "libreoffice")


class PdfUnavailable(RuntimeError):
    """LibreOffice is missing, failed or took too long; `str(err)` is the message to show."""


def soffice_binary() -> str | None:
    for name in BINARIES:
        path = shutil.which(name)
        if path:
            return path
    return None


def libreoffice_available() -> bool:
    return soffice_binary() is not None


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def docx_to_pdf(data: bytes, *, timeout: float = 120) -> bytes:
    """The PDF of the DOCX `data`. Raises PdfUnavailable when LibreOffice is missing, fails or exceeds `timeout`
    seconds."""
    binary = soffice_binary()
    if binary is None:
        raise PdfUnavailable(_("PDF cannot be made: LibreOffice (soffice) is not installed on the server."))
    with tempfile.TemporaryDirectory(prefix="dieuhanh-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(data)
        profile = work / "profile"
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        # HOME in the temporary directory too: some LibreOffice builds write there whatever the profile says.
        env = {**os.environ, "HOME": str(work)}
        try:
            process = subprocess.Popen(
                command, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, start_new_session=True,
            )
        except OSError as err:
            raise PdfUnavailable(
                _("PDF cannot be made: LibreOffice could not be started (%(error)s).") % {"error": err}
            ) from err
        try:
            _out, err_output = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as err:
            _kill_group(process)
            process.communicate()
            raise PdfUnavailable(
                _("PDF cannot be made: LibreOffice did not finish within %(seconds)s seconds.")
                % {"seconds": f"{timeout:g}"}
            ) from err
        finally:
            # Nothing of this conversion may outlive it (a helper left behind would hold the profile).
            _kill_group(process)
        result = work / "document.pdf"
        if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
            detail = err_output.decode("utf-8", "replace").strip()[-300:] or f"exit {process.returncode}"
            raise PdfUnavailable(
                _("PDF cannot be made: LibreOffice could not convert the document (%(error)s).") % {"error": detail}
            )
        return result.read_bytes()
