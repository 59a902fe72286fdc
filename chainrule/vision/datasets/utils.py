"""Downloading and integrity checking for datasets: standard library only (``urllib``).

Every download goes to a temporary file in the destination folder, is checked against its MD5,
and only then is moved into place with :func:`os.replace`; a failed or corrupt download leaves
nothing behind.
"""
import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request

__all__ = ["calculate_md5", "check_md5", "check_integrity", "download_url",
           "download_from_mirrors", "USER_AGENT", "TIMEOUT"]

#: The User-Agent sent with every request.
USER_AGENT = "chainrule/vision"
#: Seconds to wait for a server to answer (connect and each read) before trying the next mirror.
TIMEOUT = 30.0
_CHUNK = 1 << 20


def calculate_md5(fpath, chunk_size=_CHUNK):
    """The hex MD5 digest of the file at ``fpath``."""
    md5 = hashlib.md5(usedforsecurity=False)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            md5.update(chunk)
    return md5.hexdigest()


def check_md5(fpath, md5, **kwargs):
    """Whether the file at ``fpath`` has the hex MD5 digest ``md5``."""
    return md5.lower() == calculate_md5(fpath, **kwargs)


def check_integrity(fpath, md5=None):
    """Whether ``fpath`` is an existing file and, when ``md5`` is given, has that digest."""
    if not os.path.isfile(fpath):
        return False
    if md5 is None:
        return True
    return check_md5(fpath, md5)


def download_url(url, root, filename=None, md5=None, timeout=None):
    """Download ``url`` into the folder ``root`` atomically.

    The body is streamed into a temporary file next to the destination while its MD5 is computed;
    when ``md5`` is given and does not match, the temporary file is deleted and a
    ``RuntimeError`` is raised. Only a complete, verified file is moved to ``root/filename``
    (with :func:`os.replace`), so an interrupted or corrupt download never leaves a partial file.
    If the destination already exists with the right MD5 nothing is downloaded.

    Args:
        url (str): the address to fetch (``http``, ``https`` or ``file``).
        root (str or os.PathLike): the folder to put the file in (created if missing).
        filename (str, optional): the name to save it under. Default: the URL's last component.
        md5 (str, optional): the expected hex MD5 digest. Default: not checked.
        timeout (float, optional): seconds to wait for the server. Default: :data:`TIMEOUT`.

    Returns:
        str: the path of the downloaded file.

    Raises:
        urllib.error.URLError, OSError, http.client.HTTPException: when the server cannot be
            reached or the transfer fails.
        RuntimeError: when the downloaded data does not have the expected MD5.
    """
    root = os.path.expanduser(os.fspath(root))
    if not filename:
        filename = os.path.basename(urllib.request.urlparse(url).path)
    fpath = os.path.join(root, filename)
    if check_integrity(fpath, md5):
        return fpath
    os.makedirs(root, exist_ok=True)

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    fd, tmp = tempfile.mkstemp(prefix=f".{filename}.", suffix=".part", dir=root)
    try:
        digest = hashlib.md5(usedforsecurity=False)
        with os.fdopen(fd, "wb") as out, \
                urllib.request.urlopen(request, timeout=TIMEOUT if timeout is None else timeout) \
                as response:
            expected_len = response.headers.get("Content-Length")
            size = 0
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        if expected_len is not None and expected_len.isdigit() and int(expected_len) != size:
            raise urllib.error.URLError(f"incomplete download from {url}: got {size} of "
                                        f"{expected_len} bytes")
        got = digest.hexdigest()
        if md5 is not None and got != md5.lower():
            raise RuntimeError(f"MD5 mismatch for {filename} downloaded from {url}: expected "
                               f"{md5.lower()}, got {got}; the file was discarded")
        os.replace(tmp, fpath)
    except BaseException:
        try:
            os.remove(tmp)
        except FileNotFoundError:
            pass
        raise
    return fpath


def download_from_mirrors(filename, mirrors, root, md5=None, timeout=None, verbose=True):
    """Download ``filename`` from the first of ``mirrors`` that serves it with the right MD5.

    Each mirror is a URL prefix (ending in ``/``); ``mirror + filename`` is fetched with
    :func:`download_url`. A mirror that cannot be reached, answers with an HTTP error or serves
    data with the wrong MD5 is skipped and the next one is tried.

    Returns:
        str: the path of the downloaded file.

    Raises:
        RuntimeError: when every mirror failed; the message lists each mirror's error.
    """
    errors = []
    for mirror in mirrors:
        url = f"{mirror}{filename}"
        if verbose:
            print(f"Downloading {url}")
        try:
            return download_url(url, root, filename=filename, md5=md5, timeout=timeout)
        # URLError, HTTPError and timeouts are OSErrors; a connection cut mid-body raises
        # http.client.IncompleteRead
        except (OSError, RuntimeError, ValueError, http.client.HTTPException) as e:
            if verbose:
                print(f"Failed to download (trying next):\n{e}")
            errors.append(f"  {url}: {e}")
    tried = "\n".join(errors) if errors else "  (no mirrors configured)"
    raise RuntimeError(f"Error downloading {filename}; tried:\n{tried}")
