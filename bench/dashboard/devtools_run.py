"""bench/dashboard's second browser half: the same upload and download in Debian's Chromium
driven over a bare DevTools pipe (--remote-debugging-pipe) instead of playwright-core, which
enables the protocol's Network domain and copies every request body (each 1 MiB PUT) to the
driver. Only Page, DOM, Runtime and Browser commands are sent; the page's network is not
watched. The upload's end is awaited in the page (a MutationObserver, so the driver costs no
CPU meanwhile); the download's end by polling the download folder every 20 ms."""

import json
import os
import time

from devtools_pipe import HeadlessPage  # tests/integration/lib, on the path run.py sets

POLL = 0.02


def run(url, user, password, source, scratch, timeout=3600):
    """Returns (upload seconds, download seconds, path of the downloaded file)."""
    downloads = os.path.join(scratch, "devtools-downloads")
    os.makedirs(downloads, exist_ok=True)
    with HeadlessPage() as page:
        def evaluate(expression):
            return page.evaluate(expression, user_gesture=True)

        def wait_for(expression, what):
            if os.environ.get("COFFER_BENCH_VERBOSE"):
                print(f"  waiting for {what}", flush=True)
            deadline = time.monotonic() + timeout
            while not evaluate(expression):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{what}: not within {timeout} s")
                time.sleep(POLL)

        def observe(expression):
            """Resolves in the page at the first DOM change after which `expression` holds."""
            return evaluate("new Promise((resolve) => { const holds = () => { try { return " + expression + "; } catch { return false; } };"
                            " if (holds()) return resolve(true); const watch = new MutationObserver(() => { if (holds()) {"
                            " watch.disconnect(); resolve(true); } }); watch.observe(document, { subtree: true, childList: true,"
                            " characterData: true, attributes: true }); })")

        page.call("Page.enable")
        page.call("Page.addScriptToEvaluateOnNewDocument", {"source": "delete window.showSaveFilePicker;"})
        page.browser.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        page.call("Page.navigate", {"url": url + "/"})
        wait_for("!!document.getElementById('login-submit') && !document.getElementById('login-submit').disabled", "the login page")
        evaluate(f"document.getElementById('login-user').value = {json.dumps(user)};"
                 f"document.getElementById('login-password').value = {json.dumps(password)};"
                 "document.getElementById('login-form').requestSubmit(); true")
        wait_for("!!document.querySelector('#view h1') && document.querySelector('#view h1').textContent === 'My files'"
                 " && !!document.getElementById('upload-files')", "the file list")

        name = os.path.basename(source)
        start = time.monotonic()
        page.set_files("#upload-files", [source])
        observe("document.getElementById('status').textContent === 'Uploaded 1 file.'")
        upload = time.monotonic() - start
        wait_for(f"!!document.querySelector('tr[data-name={json.dumps(name)}] button.link')", "the uploaded file listed")

        target = os.path.join(downloads, name)
        start = time.monotonic()
        evaluate(f"document.querySelector('tr[data-name={json.dumps(name)}] button.link').click(); true")
        size = os.path.getsize(source)
        deadline = time.monotonic() + timeout
        while not (os.path.exists(target) and os.path.getsize(target) == size):
            if time.monotonic() > deadline:
                raise RuntimeError("the download did not finish")
            time.sleep(POLL)
        download = time.monotonic() - start
        return upload, download, target
