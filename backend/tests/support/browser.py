"""Debian's chromium, headless, driven by Selenium through /usr/bin/chromedriver.

    with chromium() as driver:
        driver.get(url)

A fresh profile per browser; with `network_log`, Chrome's DevTools Network events can be read
back with `driver.get_log("performance")`. The driver path is given, so Selenium Manager
never runs (it would download a driver).
"""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@contextmanager
def chromium(*, network_log: bool = False) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        for argument in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            # Without these, chromium's own background traffic (updates, sync, field trials)
            # would show up among the page's requests and be refused offline.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,2400",
            f"--user-data-dir={profile}",
        ):
            options.add_argument(argument)
        logs = {"browser": "ALL", **({"performance": "ALL"} if network_log else {})}
        options.set_capability("goog:loggingPrefs", logs)
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            # The start-up tab (chrome://new-tab-page) is not the page under test: leave it
            # and forget what it logged.
            driver.get("about:blank")
            for kind in logs:
                driver.get_log(kind)  # type: ignore[no-untyped-call]
            yield driver
        finally:
            driver.quit()
