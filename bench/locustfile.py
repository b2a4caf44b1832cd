"""The load test's team (bench/load.py starts it): every simulated member reads the same issue and
highlights, notes and replies on the same paragraph and its story's thread, as htmx does in the
browser (HX-Request, the CSRF token from the page's hx-headers in X-CSRFToken).

Every write the server acknowledges (2xx) is recorded with the unique marker it carried, and
written to $LOAD_ACKS when the run stops, for bench/load_db.py to count in the database.
Environment: LOAD_PLAN (the JSON bench/load_db.py setup wrote), LOAD_ACKS (where to write).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 - read once at start-up
ACKS: list[dict] = []
ACCOUNTS = itertools.cycle(PLAN["accounts"])
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
TOP_COMMENT = re.compile(r'<li class="comment" id="comment-(\d+)"')
COMMENT_IDS: list[int] = []  # top-level comments seen by anyone: what replies answer
COLOURS = ["yellow", "green", "blue", "pink"]
TAGS = ["load", "agents", "evals", "robots", "compute", "policy"]
TIMEOUT = 60


@events.quitting.add_listener
def _write_acks(environment, **_kwargs) -> None:
    with open(os.environ["LOAD_ACKS"], "w") as out:
        json.dump(ACKS, out)


def _marker() -> str:
    return f"load-{uuid.uuid4().hex}"


class Member(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        account = next(ACCOUNTS)
        self.username = account["username"]
        self.used_ranges: list[list[int]] = []
        self.highlights = 0
        self.client.cookies.set("sessionid", account["sessionid"])  # logged in by bench/load.py
        self.read_issue()

    def _post(self, url: str, data: dict, name: str):
        headers = {"HX-Request": "true", "X-CSRFToken": self.csrf, "Referer": f"{self.host}{PLAN['issue_url']}"}
        return self.client.post(url, data, headers=headers, name=name, timeout=TIMEOUT, allow_redirects=False)

    def _ack(self, response, record: dict) -> None:
        if 200 <= response.status_code < 300:
            ACKS.append({**record, "user": self.username, "status": response.status_code})

    @task(4)
    def read_issue(self) -> None:
        with self.client.get(PLAN["issue_url"], name="read issue", timeout=TIMEOUT, allow_redirects=False,
                             catch_response=True) as page:
            found = CSRF.search(page.text) if page.status_code == 200 else None
            if found is None:
                page.failure(f"no issue page for {self.username} ({page.status_code})")
                return
            self.csrf = found.group(1)

    @task(2)
    def read_notes(self) -> None:
        self.client.get(f"/paragraphs/{PLAN['paragraph']}/notes/", headers={"HX-Request": "true"},
                        name="read notes panel", timeout=TIMEOUT)

    @task(2)
    def read_thread(self) -> None:
        response = self.client.get(f"/sections/{PLAN['section']}/thread/", headers={"HX-Request": "true"},
                                   name="read thread", timeout=TIMEOUT)
        self._remember_comments(response.text)

    @task(3)
    def highlight(self) -> None:
        # A member's second highlight, and then one in four, is of a range they highlighted before,
        # with a new note, tags and colour: a double submit whose new data must be kept, not dropped.
        self.highlights += 1
        if self.used_ranges and (self.highlights == 2 or random.random() < 0.25):
            start, end = random.choice(self.used_ranges)
        else:
            start, end = random.choice(PLAN["ranges"])
            self.used_ranges.append([start, end])
        marker, colour, tags = _marker(), random.choice(COLOURS), sorted(random.sample(TAGS, 2))
        response = self._post("/highlights/", {
            "paragraph": PLAN["paragraph"], "start": start, "end": end, "colour": colour,
            "tags": ", ".join(tags), "note": f"Highlight note {marker}", "visibility": "team",
        }, "highlight")
        self._ack(response, {"kind": "highlight", "marker": marker, "start": start, "end": end,
                             "colour": colour, "tags": tags})

    @task(3)
    def note(self) -> None:
        marker = _marker()
        visibility = "private" if random.random() < 0.2 else "team"
        response = self._post(f"/paragraphs/{PLAN['paragraph']}/notes/",
                              {"body": f"A note on this paragraph, {marker}.", "visibility": visibility}, "note")
        self._ack(response, {"kind": "note", "marker": marker, "visibility": visibility})

    @task(3)
    def reply(self) -> None:
        marker = _marker()
        parent = random.choice(COMMENT_IDS) if COMMENT_IDS and random.random() < 0.6 else None
        data = {"body": f"Replying: {marker}"}
        if parent is not None:
            data["parent"] = parent
        response = self._post(f"/sections/{PLAN['section']}/thread/", data, "reply" if parent else "comment")
        self._ack(response, {"kind": "reply", "marker": marker, "parent": parent})
        self._remember_comments(response.text)

    @staticmethod
    def _remember_comments(html: str) -> None:
        for pk in TOP_COMMENT.findall(html)[-20:]:
            if int(pk) not in COMMENT_IDS:
                COMMENT_IDS.append(int(pk))
