"""The web pages in headless Chromium (issue 14), against a live `vledger serve`.

Run by deploy/check-web.sh, which starts the server over a fresh database and sets:
VLEDGER_WEB_BASE, VLEDGER_WEB_PASSWORD (of web_admin, web_organiser, web_office),
VLEDGER_WEB_DB (the owner's URL, for `vledger metrics`), VLEDGER_BIN, VLEDGER_WEB_SHOTS.
Prints one line per check and closes with "N passed, N failed".
"""
import datetime
import json
import os
import subprocess
import sys
import traceback
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["VLEDGER_WEB_BASE"]
PASSWORD = os.environ["VLEDGER_WEB_PASSWORD"]
DB = os.environ["VLEDGER_WEB_DB"]
BIN = os.environ["VLEDGER_BIN"]
SHOTS = os.environ.get("VLEDGER_WEB_SHOTS", "/tmp/vledger-web-shots")
PAGE_LIMIT = 200 * 1024
os.makedirs(SHOTS, exist_ok=True)


def api(method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def token(login):
    status, body = api("POST", "/api/v1/sessions", {"login": login, "password": PASSWORD})
    assert status == 201, body
    return body["token"]


def id_number(sequence, birth="19900101"):
    """A resident ID number with a right check digit (GB 11643)."""
    body = "210682" + birth + "%03d" % sequence
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights))
    return body + "10X98765432"[total % 11]


def browser(width=1280, height=900, language="zh-CN"):
    """Chromium asking for pages in `language` (Accept-Language; the pages default to zh-CN)."""
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", f"--lang={language}",
                     f"--window-size={width},{height}", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_window_size(width, height)
    driver.implicitly_wait(5)
    return driver


def submit(driver, selector):
    """Clicks a form's button and waits for the next page (the old one gone)."""
    button = driver.find_element(By.CSS_SELECTOR, selector)
    button.click()

    def gone(_):
        # Chromium answers a node of the old document with "stale" or with an inspector error.
        try:
            button.is_enabled()
            return False
        except WebDriverException:
            return True
    WebDriverWait(driver, 15).until(gone)


results = []


def check(name):
    def wrap(function):
        try:
            function()
            results.append((name, True))
            print(f"PASS {name}", flush=True)
        except Exception:  # noqa: BLE001 — every failure is reported and counted
            results.append((name, False))
            print(f"FAIL {name}", flush=True)
            traceback.print_exc()
        return function
    return wrap


def page_checks(driver, shot, lang="zh-CN"):
    """Every page: same-origin resources only, ≤ 200 KB, lang zh-CN (or as asked), no horizontal scroll; a screenshot."""
    origin = urllib.parse.urlsplit(BASE)
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    for url in resources:
        parts = urllib.parse.urlsplit(url)
        assert parts.scheme in ("data", "blob") or (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc), url
    size = len(driver.page_source.encode("utf-8"))
    assert size <= PAGE_LIMIT, f"{driver.current_url}: {size} bytes"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    wide = driver.execute_script("return document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not wide, f"{driver.current_url} scrolls sideways at {driver.get_window_size()['width']} px"
    # The whole page, not only the window.
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.get_window_size()["width"]
    driver.set_window_size(width, min(max(height + 140, 400), 4000))
    driver.save_screenshot(os.path.join(SHOTS, shot + ".png"))
    print(f"  {shot}: {size} bytes, {len(resources)} sub-resources", flush=True)
    return size


def sign_in(driver, login):
    driver.get(BASE + "/signin")
    driver.find_element(By.ID, "login").send_keys(login)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    submit(driver, "form.card button[type=submit]")


# The scene: a volunteer, an activity going on now (the admin's), an approved hour, a statement.
# Dates are the city's (UTC+8), not this machine's: from 16:00 UTC they are a day apart, and a
# volunteer registered "today" by the server could not serve in an activity that began yesterday.
now = datetime.datetime.now().astimezone(datetime.timezone(datetime.timedelta(hours=8)))
city_today = now.date()
admin = token("web_admin")
admin2 = token("web_office")
status, registered = api("POST", "/api/v1/volunteers", {
    "name": "王小明", "id_number": id_number(11), "phone": "13912345678", "district": "210682001",
    "registered_on": city_today.replace(month=1, day=1).isoformat()}, admin)
assert status == 201, registered
volunteer = registered["number"]
status, created = api("POST", "/api/v1/activities", {
    "title": "社区清扫", "district": "210682001", "organiser": "李组织",
    "starts": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
    "ends": (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")}, admin)
assert status == 201, created
activity = created["id"]
status, statement = api("POST", "/api/v1/statements", {"volunteer": volunteer}, admin)
statement_number = statement.get("statement_number") if status == 201 else None
print(f"scene: volunteer {volunteer}, activity {activity}, statement {statement_number} ({status})", flush=True)

desk = browser()
phone = browser(360, 740)
state = {}


@check("sign-in shows who is signed in and their role")
def _():
    phone.get(BASE + "/signin")
    page_checks(phone, "01-signin-360")
    sign_in(phone, "web_wrong")
    error = phone.find_element(By.ID, "error").text
    assert "登录" in error or "密码" in error or "失败" in error, error
    assert phone.find_element(By.ID, "login").get_attribute("value") == "web_wrong", "the form keeps what was typed"
    sign_in(desk, "web_admin")
    who = desk.find_element(By.ID, "who").text
    assert "web_admin" in who and "管理员" in who, who


@check("activities page at 360 px lists today's activity")
def _():
    sign_in(phone, "web_admin")
    phone.get(BASE + "/activities")
    assert phone.find_element(By.ID, f"activity-{activity}"), "activity shown"
    page_checks(phone, "02-activities-360")


@check("an organiser creates an activity on the phone; an end before the start is shown next to the field")
def _():
    organiser = browser(360, 740)
    try:
        sign_in(organiser, "web_organiser")
        organiser.get(BASE + "/activities/new")
        organiser.find_element(By.ID, "title").send_keys("敬老院探访")
        start = now + datetime.timedelta(days=1)
        def set_time(field, moment):
            organiser.execute_script("arguments[0].value = arguments[1]", organiser.find_element(By.ID, field), moment.strftime("%Y-%m-%dT%H:%M"))
        set_time("starts", start)
        set_time("ends", start - datetime.timedelta(hours=1))
        submit(organiser, "#new-activity button[type=submit]")
        assert organiser.find_element(By.ID, "ends-error").text, "the message next to the end"
        assert organiser.find_element(By.ID, "title").get_attribute("value") == "敬老院探访", "typed values kept"
        page_checks(organiser, "02-new-activity-error-360")
        set_time("ends", start + datetime.timedelta(hours=2))
        submit(organiser, "#new-activity button[type=submit]")
        outcome = organiser.find_element(By.ID, "outcome").text
        assert "已新建" in outcome, outcome
        organiser.get(BASE + "/activities")
        assert "敬老院探访" in organiser.find_element(By.ID, "main").text
    finally:
        organiser.quit()


@check("check-in screen: a 6-digit code and a QR that decodes to the check-in address")
def _():
    desk.get(BASE + f"/activities/{activity}/screen?action=in")

    def settled(driver):
        # The page reloads itself when the code changes: read it well before that.
        try:
            return int(driver.find_element(By.ID, "countdown").text) >= 5
        except (WebDriverException, ValueError):
            return False
    WebDriverWait(desk, 40).until(settled)
    code = desk.find_element(By.ID, "code").text.strip()
    assert len(code) == 6 and code.isdigit(), code
    assert int(desk.find_element(By.ID, "countdown").text) in range(1, 31)
    page_checks(desk, "03-checkin-screen")
    path = os.path.join(SHOTS, "03-checkin-qr.png")
    desk.find_element(By.ID, "qr").screenshot(path)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", path], capture_output=True, text=True, check=True).stdout.strip()
    assert f"/checkin/{activity}?action=in&code=" in decoded, decoded
    state["url"] = decoded


@check("self check-in: a wrong code shows the Chinese error next to the field, the right one checks in")
def _():
    volunteer_phone = browser(360, 740)
    try:
        status, current = api("GET", f"/api/v1/activities/{activity}/checkin-code?action=in", token=admin)
        assert status == 200, current
        wrong = "%06d" % ((int(current["code"]) + 500001) % 1000000)
        volunteer_phone.get(BASE + f"/checkin/{activity}?action=in&code={wrong}")
        assert volunteer_phone.find_element(By.ID, "code").get_attribute("value") == wrong, "code prefilled from the address"
        volunteer_phone.find_element(By.ID, "volunteer").send_keys(volunteer)
        volunteer_phone.find_element(By.ID, "phone_last4").send_keys("5678")
        submit(volunteer_phone, "form button[type=submit]")
        error = volunteer_phone.find_element(By.ID, "code-error").text
        assert "签到码" in error, error
        assert volunteer_phone.find_element(By.ID, "volunteer").get_attribute("value") == volunteer, "typed values kept"
        page_checks(volunteer_phone, "04-self-checkin-wrong-code-360")
        # The address of the QR, as the phone's camera opens it.
        status, current = api("GET", f"/api/v1/activities/{activity}/checkin-code?action=in", token=admin)
        volunteer_phone.get(BASE + f"/checkin/{activity}?action=in&code={current['code']}")
        volunteer_phone.find_element(By.ID, "volunteer").send_keys(volunteer)
        volunteer_phone.find_element(By.ID, "phone_last4").send_keys("5678")
        submit(volunteer_phone, "form button[type=submit]")
        outcome = volunteer_phone.find_element(By.ID, "outcome").text
        assert "签到成功" in outcome, outcome
        page_checks(volunteer_phone, "05-self-checkin-done-360")
    finally:
        volunteer_phone.quit()


@check("attendance: the organiser finds the volunteer by name and taps them out and in")
def _():
    phone.get(BASE + f"/activities/{activity}/attendance?q=" + urllib.parse.quote("王小明"))
    card = phone.find_element(By.ID, f"v-{volunteer}")
    assert "139****5678" in card.text or "5678" not in card.text, "the phone masked"
    page_checks(phone, "06-attendance-360")
    submit(phone, f'#v-{volunteer} button.secondary')
    outcome = phone.find_element(By.ID, "outcome").text
    assert "已签退" in outcome, outcome
    phone.get(BASE + f"/activities/{activity}/attendance?q={volunteer}")
    submit(phone, f'#v-{volunteer} button:not(.secondary)')
    assert "已签到" in phone.find_element(By.ID, "outcome").text


@check("self check-out with the check-out code on the phone")
def _():
    status, current = api("GET", f"/api/v1/activities/{activity}/checkin-code?action=out", token=admin)
    assert status == 200, current
    volunteer_phone = browser(360, 740)
    try:
        volunteer_phone.get(BASE + f"/checkin/{activity}?action=out&code={current['code']}")
        volunteer_phone.find_element(By.ID, "volunteer").send_keys(volunteer)
        volunteer_phone.find_element(By.ID, "phone_last4").send_keys("5678")
        submit(volunteer_phone, "form button[type=submit]")
        outcome = volunteer_phone.find_element(By.ID, "outcome").text
        assert "签退成功" in outcome, outcome
        page_checks(volunteer_phone, "06-self-checkout-done-360")
    finally:
        volunteer_phone.quit()


@check("the office signs in and reads the dashboard")
def _():
    office = browser()
    try:
        sign_in(office, "web_office")
        who = office.find_element(By.ID, "who").text
        assert "web_office" in who and "文明办" in who, who
        office.get(BASE + f"/dashboard?year={city_today.year}")
        assert office.find_elements(By.CSS_SELECTOR, "#districts tbody tr"), "districts shown"
        page_checks(office, "07-dashboard-office")
    finally:
        office.quit()


@check("dashboard figures equal vledger metrics --format json")
def _():
    year = city_today.year
    desk.get(BASE + f"/dashboard?year={year}")
    page_checks(desk, "07-dashboard")
    metrics = json.loads(subprocess.run([BIN, "metrics", "--year", str(year), "--format", "json", "--database-url", DB],
                                        capture_output=True, text=True, check=True).stdout,
                         parse_float=str, parse_int=str)
    figures_keys = ["registration_share", "participation_rate", "hours_per_volunteer"]
    gap_keys = ["registrations_needed", "participants_needed", "hours_needed"]
    rows = [(d["code"], d) for d in metrics["districts"]] + ([("city", metrics["city"])] if metrics.get("city") else [])
    assert rows, metrics
    for code, figures in rows:
        row = desk.find_element(By.CSS_SELECTOR, f'#districts tr[data-code="{code}"]')
        for key in figures_keys + gap_keys:
            text = row.find_element(By.CSS_SELECTOR, f'td[data-key="{key}"]').text
            value = figures[key] if key in figures_keys else figures["gaps"][key]
            expected = "—" if value is None else value
            shown = text.replace("✓", "").replace("✗", "").strip()
            assert shown == expected, f"{code} {key}: page {shown!r}, metrics {expected!r}"
            if key in figures_keys:
                meets = figures["meets"][key]
                mark = "✓" if meets is True else "✗" if meets is False else ""
                assert (mark in text) if mark else ("✓" not in text and "✗" not in text), f"{code} {key}: {text!r} vs meets {meets}"
    # The districts furthest behind first, as the CLI's table orders them.
    table = subprocess.run([BIN, "metrics", "--year", str(year), "--database-url", DB], capture_output=True, text=True, check=True).stdout
    order = [code for code, _ in rows if code != "city"]
    order.sort(key=table.index)
    shown_order = [r.get_attribute("data-code") for r in desk.find_elements(By.CSS_SELECTOR, "#districts tbody tr")][:len(order)]
    assert shown_order == order, f"{shown_order} vs the CLI's {order}"
    for chart in ("chart-share", "chart-rate", "chart-hours"):
        assert desk.find_element(By.ID, chart + "-d").get_attribute("textContent"), chart
    phone.get(BASE + f"/dashboard?year={year}")
    page_checks(phone, "07-dashboard-360")


@check("public verification page shows valid, masked name, period and hours only")
def _():
    assert statement_number, "a statement was issued"
    other = browser(360, 740)
    try:
        other.get(BASE + "/verify?number=" + urllib.parse.quote(statement_number))
        result = other.find_element(By.ID, "result").text
        assert "有效" in result, result
        assert "王小明" not in result and "13912345678" not in result, "the name is masked, nothing personal"
        assert other.find_elements(By.ID, "r-name") and other.find_elements(By.ID, "r-period")
        page_checks(other, "08-verify-360")
        other.get(BASE + "/verify?number=NOPE-1")
        assert other.find_element(By.ID, "number-error").text
    finally:
        other.quit()
    desk.get(BASE + "/statements/" + urllib.parse.quote(statement_number) + "/print")
    assert desk.find_element(By.ID, "statement-number").text == statement_number
    page_checks(desk, "09-statement-print")


@check("staff register a volunteer: a wrong check digit is caught as typed and by the server, then registered")
def _():
    staff = browser(360, 740)
    try:
        sign_in(staff, "web_staff")
        staff.get(BASE + "/volunteers/new")
        good = id_number(12)
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        staff.find_element(By.ID, "name").send_keys("李小红")
        staff.find_element(By.ID, "id_number").send_keys(bad)
        typed_error = staff.find_element(By.ID, "id_number-error").text
        assert "校验码" in typed_error, typed_error
        staff.find_element(By.ID, "phone").send_keys("13800001111")
        page_checks(staff, "10-register-typed-error-360")
        submit(staff, "#register button[type=submit]")
        server_error = staff.find_element(By.ID, "id_number-error").text
        assert server_error, "the server's message next to the field"
        assert staff.find_element(By.ID, "name").get_attribute("value") == "李小红", "typed values kept"
        field = staff.find_element(By.ID, "id_number")
        field.clear()
        field.send_keys(good)
        assert staff.find_element(By.ID, "id_number-error").text == ""
        submit(staff, "#register button[type=submit]")
        outcome = staff.find_element(By.ID, "outcome").text
        assert "已登记" in outcome, outcome
        page_checks(staff, "11-register-done-360")
    finally:
        staff.quit()


@check("another admin approves pending hours")
def _():
    status, recorded = api("POST", "/api/v1/hours", {"activity": activity, "volunteer": volunteer, "minutes": 30}, admin)
    assert status == 201, recorded
    other = browser()
    try:
        sign_in(other, "web_admin2")
        other.get(BASE + "/hours/pending")
        entry = other.find_element(By.ID, f"entry-{recorded['id']}")
        page_checks(other, "12-pending-hours")
        submit(entry, f'form[action="/hours/{recorded["id"]}/approve"] button')
        assert "审核通过" in other.find_element(By.ID, "outcome").text
        page_checks(other, "13-approved")
    finally:
        other.quit()


def cookie_get(driver, path):
    """GET as the browser's session (for downloads): status, headers, body."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request) as reply:
            return reply.status, dict(reply.headers), reply.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@check("staff import a spreadsheet: the per-row report as a table, the rejects to download")
def _():
    staff = browser()
    try:
        sign_in(staff, "web_staff")
        path = os.path.join(SHOTS, "import-sample.csv")
        with open(path, "w", encoding="utf-8") as out:
            out.write("姓名,身份证号,手机号,所属区划,注册日期\n")
            out.write(f"钱一,{id_number(21)},13800000021,210682001,{city_today.replace(month=1, day=1)}\n")
            out.write(f"钱二,{id_number(22)},13800000022,210682001,{city_today.replace(month=1, day=1)}\n")
            out.write("钱三,21068219900101002X,1380000,210682001,2024-13-01\n")
        staff.get(BASE + "/volunteers/import")
        page_checks(staff, "14-import-form")
        staff.find_element(By.ID, "file").send_keys(path)
        submit(staff, "#import button[type=submit]")
        assert "未导入" in staff.find_element(By.ID, "outcome").text or "不合格" in staff.find_element(By.ID, "outcome").text
        rows = staff.find_elements(By.CSS_SELECTOR, "#problems tbody tr")
        assert rows and all(r.find_element(By.TAG_NAME, "td").text == "4" for r in rows), [r.text for r in rows]
        assert not staff.find_elements(By.ID, "rejects"), "nothing written, nothing to download"
        page_checks(staff, "15-import-rejected")
        staff.get(BASE + "/volunteers/import")
        staff.find_element(By.ID, "file").send_keys(path)
        staff.find_element(By.NAME, "skip_bad").click()
        submit(staff, "#import button[type=submit]")
        assert staff.find_element(By.ID, "n-applied").text == "2", staff.find_element(By.ID, "counts").text
        assert staff.find_element(By.ID, "n-bad").text == "1"
        page_checks(staff, "16-import-report")
        status, headers, body = cookie_get(staff, staff.find_element(By.ID, "rejects").get_attribute("href").replace(BASE, ""))
        assert status == 200 and "钱三" in body.decode("utf-8-sig"), (status, body[:200])
    finally:
        staff.quit()


@check("staff find a volunteer in the list (masked), move them and deregister them")
def _():
    staff = browser(360, 740)
    try:
        sign_in(staff, "web_staff")
        staff.get(BASE + "/volunteers?q=" + urllib.parse.quote("钱一"))
        table = staff.find_element(By.ID, "volunteers").text
        assert "钱一" in table and "13800000021" not in table, table
        page_checks(staff, "17-volunteers-360")
        staff.find_element(By.CSS_SELECTOR, "#volunteers tbody a").click()
        WebDriverWait(staff, 10).until(lambda d: d.find_elements(By.ID, "move"))
        page_checks(staff, "18-volunteer-360")
        on = staff.find_element(By.ID, "move_on")
        on.clear()
        on.send_keys("2024-02-30")
        submit(staff, "#move button[type=submit]")
        assert staff.find_element(By.ID, "move_on-error").text, "the message next to the date"
        assert staff.find_element(By.ID, "move_on").get_attribute("value") == "2024-02-30"
        page_checks(staff, "19-move-error-360")
        on = staff.find_element(By.ID, "move_on")
        on.clear()
        on.send_keys(city_today.isoformat())
        submit(staff, "#move button[type=submit]")
        outcome = staff.find_element(By.ID, "outcome").text
        assert "已迁移" in outcome, outcome
        page_checks(staff, "20-move-done-360")
        staff.get(BASE + "/volunteers?q=" + urllib.parse.quote("钱二"))
        staff.find_element(By.CSS_SELECTOR, "#volunteers tbody a").click()
        WebDriverWait(staff, 10).until(lambda d: d.find_elements(By.ID, "deregister"))
        staff.find_element(By.ID, "dereg_reason").send_keys("迁出本市")
        submit(staff, "#deregister button[type=submit]")
        assert "已注销" in staff.find_element(By.ID, "outcome").text
        page_checks(staff, "21-deregister-done-360")
    finally:
        staff.quit()


@check("outreach (staff of the district; the office with names, phones and ID numbers masked)")
def _():
    year = city_today.year
    staff = browser()
    try:
        sign_in(staff, "web_staff")
        staff.get(BASE + f"/outreach?year={year}")
        assert staff.find_elements(By.CSS_SELECTOR, "#outreach-districts tbody tr"), "per district"
        listed = staff.find_element(By.ID, "outreach").text
        assert "李小红" in listed, "registered on the page, no hours yet: " + listed
        assert "13800001111" not in listed, "phones masked"
        page_checks(staff, "22-outreach")
    finally:
        staff.quit()
    office = browser()
    try:
        sign_in(office, "web_office")
        office.get(BASE + f"/outreach?year={year}")
        assert not office.find_elements(By.ID, "error"), office.find_element(By.ID, "error").text
        counts = office.find_element(By.ID, "outreach-districts").text
        assert "凤凰城街道" in counts and "草河街道" in counts, counts
        listed = office.find_element(By.ID, "outreach").text
        assert "李**" in listed and "李小红" not in listed, "names masked for the office: " + listed
        assert "13800001111" not in listed and "138****1111" in listed, "phones masked: " + listed
        assert id_number(12) not in office.page_source and id_number(11) not in office.page_source, "no ID number"
        page_checks(office, "22-outreach-office")
    finally:
        office.quit()


@check("office: anomalies, populations, districts; the dashboard's replay, trend chart and downloads")
def _():
    office = browser()
    try:
        sign_in(office, "web_office")
        year = city_today.year
        office.get(BASE + f"/anomalies?year={year}")
        assert office.find_elements(By.ID, "anomalies") or office.find_elements(By.ID, "none") or office.find_elements(By.ID, "lookups")
        page_checks(office, "23-anomalies")
        office.get(BASE + f"/populations?year={year}")
        assert "500" in office.find_element(By.ID, "populations").text
        page_checks(office, "24-populations")
        # A new figure from the page: a wrong one is said next to its field and kept, then a right one.
        office.find_element(By.ID, "set_residents").send_keys("-5")
        office.find_element(By.ID, "set_source").send_keys("统计公报")
        submit(office, "#population-set button[type=submit]")
        assert office.find_element(By.ID, "set_residents-error").text, "the message next to the residents"
        assert office.find_element(By.ID, "set_residents").get_attribute("value") == "-5", "what was typed is kept"
        assert office.find_element(By.ID, "set_source").get_attribute("value") == "统计公报"
        page_checks(office, "24-populations-error")
        office.find_element(By.ID, "set_residents").clear()
        office.find_element(By.ID, "set_residents").send_keys("520")
        submit(office, "#population-set button[type=submit]")
        assert "已登记" in office.find_element(By.ID, "outcome").text
        office.get(BASE + f"/populations?year={year}")
        table = office.find_element(By.ID, "populations").text
        assert "520" in table and "统计公报" in table, table
        population = subprocess.run([BIN, "population", "list", "--year", str(year), "--format", "json", "--database-url", DB],
                                    check=True, capture_output=True, text=True).stdout
        assert '"residents":520' in population.replace(" ", ""), population
        office.get(BASE + "/districts")
        assert "草河街道" in office.find_element(By.ID, "district-list").text
        page_checks(office, "25-districts")
        office.get(BASE + f"/dashboard?year={year}")
        for chart in ("trend-share", "trend-rate", "trend-hours"):
            assert office.find_element(By.ID, chart + "-d").get_attribute("textContent"), chart
        href = office.find_element(By.ID, "export-csv").get_attribute("href").replace(BASE, "")
        status, headers, body = cookie_get(office, href)
        expected = subprocess.run([BIN, "metrics", "--year", str(year), "--format", "csv", "--database-url", DB],
                                  capture_output=True, text=True, check=True).stdout
        assert status == 200 and body.decode("utf-8-sig").replace("\r\n", "\n") == expected.replace("\r\n", "\n"), body[:300]
        status, headers, body = cookie_get(office, office.find_element(By.ID, "export-xlsx").get_attribute("href").replace(BASE, ""))
        assert status == 200 and body[:2] == b"PK", headers
        office.find_element(By.ID, "as_recorded_at").send_keys(f"{year}-01-01 00:00")
        submit(office, "form.card button[type=submit]")
        assert office.find_element(By.ID, "replay").text, "replay said"
        page_checks(office, "26-dashboard-replay")
    finally:
        office.quit()


@check("organiser: the category picker, a correction from the pending page, the check-in page's title")
def _():
    subprocess.run([BIN, "category", "add", "--code", "elderly_help", "--name", "助老服务", "--database-url", DB], capture_output=True, text=True, check=True)
    organiser = browser(360, 740)
    try:
        sign_in(organiser, "web_organiser")
        organiser.get(BASE + "/activities/new")
        picker = organiser.find_element(By.ID, "category")
        assert picker.tag_name == "select" and "助老服务" in picker.text, picker.text
        page_checks(organiser, "27-new-activity-categories-360")
    finally:
        organiser.quit()
    status, other_volunteer = api("POST", "/api/v1/volunteers", {
        "name": "吴九", "id_number": id_number(31), "phone": "13912340031", "district": "210682001",
        "registered_on": city_today.replace(month=1, day=1).isoformat()}, admin)
    assert status == 201, other_volunteer
    status, recorded = api("POST", "/api/v1/hours", {"activity": activity, "volunteer": other_volunteer["number"], "minutes": 45}, admin)
    assert status == 201, recorded
    other = browser()
    try:
        sign_in(other, "web_admin2")
        other.get(BASE + "/hours/pending")
        entry = other.find_element(By.ID, f"entry-{recorded['id']}")
        entry.find_element(By.TAG_NAME, "summary").click()
        entry.find_element(By.ID, f"delta-{recorded['id']}").send_keys("-15")
        entry.find_element(By.ID, f"creason-{recorded['id']}").send_keys("迟到 15 分钟")
        page_checks(other, "28-pending-correct")
        submit(entry, f'form[action="/hours/{recorded["id"]}/correct"] button')
        outcome = other.find_element(By.ID, "outcome").text
        assert "已记录更正" in outcome, outcome
        page_checks(other, "29-corrected")
    finally:
        other.quit()
    volunteer_phone = browser(360, 740)
    try:
        volunteer_phone.get(BASE + f"/checkin/{activity}?action=in")
        assert "社区清扫" in volunteer_phone.find_element(By.TAG_NAME, "h1").text
        page_checks(volunteer_phone, "30-self-checkin-title-360")
    finally:
        volunteer_phone.quit()


@check("the menu shows each role its pages; a page typed in is still refused")
def _():
    def menu(driver):
        return {a.get_attribute("href").replace(BASE, "") for a in driver.find_elements(By.CSS_SELECTOR, "nav.main a")}
    organiser = browser(360, 740)
    try:
        sign_in(organiser, "web_organiser")
        links = menu(organiser)
        assert {"/activities", "/hours/pending"} <= links and "/dashboard" not in links and "/volunteers/new" not in links, links
        page_checks(organiser, "31-menu-organiser-360")
        organiser.get(BASE + "/volunteers")
        assert "13800000021" not in organiser.page_source, "the organiser reads no phone by typing the register's address"
    finally:
        organiser.quit()
    office = browser()
    try:
        sign_in(office, "web_office")
        links = menu(office)
        assert {"/dashboard", "/outreach", "/anomalies", "/populations", "/districts"} <= links, links
        assert "/volunteers/new" not in links and "/activities" not in links, links
    finally:
        office.quit()
    staff = browser()
    try:
        sign_in(staff, "web_staff")
        links = menu(staff)
        assert {"/volunteers/new", "/volunteers/import", "/volunteers"} <= links and "/dashboard" not in links, links
    finally:
        staff.quit()


@check("English when the browser asks for it: lang en, the texts from the catalog's English")
def _():
    english = browser(360, 740, language="en-US")
    try:
        english.get(BASE + "/signin")
        assert english.find_element(By.TAG_NAME, "h1").text == "Sign in"
        sign_in(english, "web_organiser")
        assert "activity organiser" in english.find_element(By.ID, "who").text
        english.get(BASE + "/activities")
        assert "Activities today and later" in english.find_element(By.TAG_NAME, "h1").text
        page_checks(english, "32-activities-en-360", lang="en")
    finally:
        english.quit()


@check("sign-out ends the session")
def _():
    submit(desk, "header form button")
    assert "已退出" in desk.find_element(By.ID, "outcome").text
    desk.get(BASE + "/activities")
    assert "/signin" in desk.current_url


desk.quit()
phone.quit()
passed = sum(1 for _, ok in results if ok)
failed = len(results) - passed
print(f"screenshots: {SHOTS}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
