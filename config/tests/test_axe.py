"""The accessibility check every browser journey runs (config.pytest_plugin's ``page``)
finds what it should: it is not a check that cannot fail."""

import pytest

from config.pytest_plugin import _axe_init_script, axe_violations

pytestmark = pytest.mark.browser


def test_axe_reports_serious_violations_and_a_second_h1(browser):
    context = browser.new_context()
    try:
        context.add_init_script(script=_axe_init_script())
        page = context.new_page()
        page.set_content(
            '<html lang="en"><title>t</title><body><main><h1>One</h1><h1>Two</h1>'
            '<img src="data:,"><p style="color:#ccc;background:#fff">faint</p>'
            '<p style="color:#333;background:#fff">clear</p></main></body></html>'
        )
        found = {v["id"] for v in axe_violations(page)}
        assert {"image-alt", "color-contrast", "one-h1"} <= found
        page.set_content(
            '<html lang="en"><title>t</title><body><main><h1>Fine</h1><p>ok</p></main></body></html>'
        )
        assert axe_violations(page) == []
    finally:
        context.close()
