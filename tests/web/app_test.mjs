// The household's web app in a real browser (Debian's chromium, driven by playwright-core) against the
// real daemon with the real models and a replayed camera: logging in, the live view, a ring reaching
// the timeline with its name, a visit's page, familiar faces (a stranger's rings become one visitor, who
// is named, corrected and ignored, all of it on the admin's Activity page), a phone-sized screen, the
// keyboard, and no console errors.
// Usage: node tests/web/app_test.mjs DOORBELLD MODELS_DIR PORTRAIT.jpg ARTIFACTS_DIR (ctest runs it)
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { login, startDaemon } from "./daemon.mjs";
import { postgresUnavailable, startPostgres } from "./postgres.mjs";

const [binary, models, portrait, artifacts] = process.argv.slice(2);
assert.ok(artifacts, "usage: node tests/web/app_test.mjs DOORBELLD MODELS_DIR PORTRAIT.jpg ARTIFACTS_DIR");
mkdirSync(artifacts, { recursive: true });

let daemon;
let browser;
const hooks = []; // the webhook payloads received
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    hooks.push(JSON.parse(body));
    res.end("{}");
  });
});
const consoleErrors = [];

before(async () => {
  await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
  daemon = await startDaemon({
    binary, models, camera: portrait,
    extra: { webhook: { url: `http://127.0.0.1:${receiver.address().port}/hook`, secret: "s" },
             notify: { cooldown_seconds: 0 } },
  });
  const dana = await daemon.api("POST", "/api/people", JSON.stringify({ name: "Dana", kind: "known" }));
  await daemon.api("POST", `/api/people/${dana.id}/faces`, readFileSync(portrait), "image/jpeg");
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
  await daemon?.stop();
  receiver.close();
});

// A page in a fresh browser context; `expected` matches the console errors that page is meant to cause.
async function newPage({ viewport = { width: 1280, height: 800 }, expected = null } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && !expected?.test(m.text())) consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

async function logIn(page, password = login.password, at = daemon) {
  await page.goto(at.url);
  await page.getByLabel("Name").fill(login.user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

const liveFrameShown = (page) =>
  page.waitForFunction(() => document.querySelector(".live img")?.naturalWidth > 0, null, { timeout: 10000 });

test("a wrong password is refused, and the form says so", async () => {
  const page = await newPage({ expected: /status of 401/ }); // the refused POST /api/login
  await logIn(page, "not the password");
  await assert.doesNotReject(page.getByRole("alert").getByText("do not match").waitFor());
  assert.equal(await page.getByRole("link", { name: "Timeline" }).count(), 0, "not logged in");
  await page.context().close();
});

test("logged in: the live view shows frames, and a ring is on the timeline with its name within 5 s", async () => {
  const page = await newPage();
  await logIn(page);
  await liveFrameShown(page);
  // What the camera negotiated, in words: the replayed folder's picture size.
  await page.locator(".live .camera-state").getByText(/^Sending pictures \(images \d+x\d+\)\./).waitFor();
  const rung = Date.now();
  await page.getByRole("button", { name: "Ring the doorbell" }).click();
  await page.getByRole("link", { name: "Timeline" }).click();
  const newest = page.locator(".events li").first();
  await newest.getByText("Dana").waitFor({ timeout: 5000 });
  const shown = Date.now() - rung;
  assert.ok(shown < 5000, `named on the timeline ${shown} ms after the ring`);
  assert.match(await newest.innerText(), /Known/);
  console.log(`# named on the timeline ${shown} ms after the ring`);

  // The visit's page: the face's verdict and the webhook's delivery.
  await newest.getByRole("link").click();
  await page.locator(".faces-seen").getByText("Dana", { exact: true }).waitFor();
  await page.getByText(/webhook: delivered/).waitFor({ timeout: 10000 });
  await page.screenshot({ path: join(artifacts, "visit-desktop.png"), fullPage: true });
  assert.ok(hooks.length >= 1, "the webhook was called");
  await page.context().close();
});

test("the timeline filters by person and by kind", async () => {
  const page = await newPage();
  await logIn(page);
  await page.getByRole("link", { name: "Timeline" }).click();
  await page.locator(".events li").first().waitFor();
  await page.getByLabel("Person").selectOption("Dana");
  await page.locator(".events li").first().getByText("Dana").waitFor();
  await page.getByLabel("Kind").selectOption("unknown");
  await page.getByText("No visits match.").waitFor();
  assert.equal(await page.locator(".events li").count(), 0);
  await page.context().close();
});

// Rings through the API until the timeline holds `count` events.
async function ringUntil(count) {
  for (;;) {
    const { events } = await daemon.api("GET", "/api/events?limit=500");
    if (events.length >= count) return events.length;
    await daemon.api("POST", "/api/ring", "");
    await new Promise((r) => setTimeout(r, 150));
  }
}

test("the timeline pages back, and a new ring joins the top without losing one", async () => {
  const total = await ringUntil(23);
  const page = await newPage();
  await logIn(page);
  await page.getByRole("link", { name: "Timeline" }).click();
  const rows = page.locator(".events li");
  await rows.nth(19).waitFor();
  assert.equal(await rows.count(), 20, "a page of 20");
  await page.getByRole("button", { name: "Older visits" }).click();
  await page.waitForFunction((n) => document.querySelectorAll(".events li").length === n, total);
  assert.equal(await page.getByRole("button", { name: "Older visits" }).count(), 0, "no more pages");
  await daemon.api("POST", "/api/ring", "");
  await page.waitForFunction((n) => document.querySelectorAll(".events li").length === n, total + 1, { timeout: 5000 });
  const ids = await rows.evaluateAll((items) => items.map((li) => Number(li.querySelector("a").hash.split("/").pop())));
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), "newest first");
  assert.equal(new Set(ids).size, ids.length, "each visit once");
  await page.context().close();
});

test("a phone-sized screen shows the door and the timeline without horizontal scrolling", async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 } });
  await logIn(page);
  await liveFrameShown(page);
  await page.locator(".status li").first().waitFor();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(await overflow(), 0, "the door page is wider than the phone");
  await page.screenshot({ path: join(artifacts, "door-phone.png"), fullPage: true });
  await page.getByRole("link", { name: "Timeline" }).click();
  await page.locator(".events li").first().waitFor();
  assert.equal(await overflow(), 0, "the timeline is wider than the phone");
  await page.screenshot({ path: join(artifacts, "timeline-phone.png"), fullPage: true });
  await page.context().close();
});

// The accessible names of what Tab reaches, in order, until focus comes round again.
async function tabStops(page) {
  const seen = [];
  for (let i = 0; i < 40; ++i) {
    await page.keyboard.press("Tab");
    const name = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return "";
      return (e.getAttribute("aria-label") || e.labels?.[0]?.innerText || e.innerText || e.tagName).trim();
    });
    if (name && seen.includes(name) && name === seen[0]) break;
    if (name) seen.push(name);
  }
  return seen;
}

test("the keyboard reaches every action on the door and the timeline", async () => {
  const page = await newPage();
  await logIn(page);
  await page.locator(".visitor").waitFor();
  const door = await tabStops(page);
  for (const wanted of ["Door", "Timeline", "Log out", "Ring the doorbell"]) {
    assert.ok(door.includes(wanted), `Tab does not reach "${wanted}" on the door page: ${door.join(" | ")}`);
  }
  assert.ok(door.some((n) => n.includes("Dana")), `Tab does not reach the last visitor: ${door.join(" | ")}`);
  await page.getByRole("link", { name: "Timeline" }).click();
  await page.locator(".events li").first().waitFor();
  const timeline = await tabStops(page);
  for (const wanted of ["Kind", "Person", "From", "To"]) {
    assert.ok(timeline.some((n) => n.startsWith(wanted)), `Tab does not reach "${wanted}": ${timeline.join(" | ")}`);
  }
  assert.ok(timeline.some((n) => n.includes("Dana")), `Tab does not reach a visit: ${timeline.join(" | ")}`);
  await page.context().close();
});

test("the face library: a person enrolled from photos (bad ones named), renamed, moved, pruned, removed", async () => {
  // The refused photos are answered 422 and 415: the console reports those loads.
  const page = await newPage({ expected: /status of 4(15|22)/ });
  await logIn(page);
  await page.getByRole("link", { name: "Faces" }).click();
  await page.getByRole("link", { name: /Dana/ }).waitFor();
  const form = page.locator(".new-person");
  await form.getByLabel("Name", { exact: true }).fill("Sam");
  const photo = (file) => ({ name: file, mimeType: "image/jpeg", buffer: readFileSync(join(dirname(portrait), file)) });
  await form.getByLabel("Photos of one face each").setInputFiles([
    photo("sample2.jpg"),
    photo("sample1.jpg"),
    { name: "notes.jpg", mimeType: "image/jpeg", buffer: Buffer.from("not a picture at all") },
  ]);
  await form.getByRole("button", { name: "Add" }).click();
  const results = form.locator(".results li");
  await results.nth(2).waitFor();
  assert.match(await results.nth(0).innerText(), /sample2\.jpg: added/);
  assert.match(await results.nth(1).innerText(), /sample1\.jpg: \d+ faces found/);
  assert.match(await results.nth(2).innerText(), /notes\.jpg: not a JPEG or PNG image/);
  const sam = page.getByRole("link", { name: /Sam/ });
  await sam.getByText("1 photo").waitFor();
  await page.screenshot({ path: join(artifacts, "faces-desktop.png"), fullPage: true });

  // Her page: one more photo, one removed, a new name, the other list.
  await sam.click();
  await page.getByRole("heading", { level: 2, name: /Sam/ }).waitFor();
  await page.locator(".photos").getByLabel("Photos of one face each").setInputFiles(portrait);
  await page.getByRole("button", { name: "Add photos" }).click();
  await page.locator(".samples img").nth(1).waitFor();
  await page.getByRole("button", { name: /Remove photo/ }).first().click();
  await page.waitForFunction(() => document.querySelectorAll(".samples img").length === 1);
  await page.getByLabel("Name", { exact: true }).fill("Sam Tyler");
  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByRole("heading", { level: 2, name: /Sam Tyler/ }).waitFor();
  await page.getByRole("button", { name: "Move to blacklist" }).click();
  await page.getByRole("heading", { level: 2, name: /Sam Tyler Blacklist/ }).waitFor();
  const stored = (await daemon.api("GET", "/api/people")).people.find((p) => p.name === "Sam Tyler");
  assert.equal(stored?.kind, "blacklist");
  assert.equal(stored?.samples, 1);

  // Removed completely, after a second word.
  await page.getByRole("button", { name: "Remove Sam Tyler…" }).click();
  await page.getByRole("button", { name: "Yes, remove Sam Tyler" }).click();
  await page.getByRole("link", { name: /Dana/ }).waitFor();
  assert.equal(await page.getByRole("link", { name: /Sam/ }).count(), 0);
  assert.deepEqual((await daemon.api("GET", "/api/people")).people.map((p) => p.name), ["Dana"]);
  await page.context().close();
});

test("a person's notification rule: snoozed, a ring is still told; a rule telling nobody is refused", async () => {
  const page = await newPage({ expected: /status of 400/ }); // the refused rule
  await logIn(page);
  await page.getByRole("link", { name: "Faces" }).click();
  await page.getByRole("link", { name: /Dana/ }).click();
  const rule = page.locator(".rule");
  await rule.getByText("Told on every channel.").waitFor();
  await rule.getByRole("button", { name: "Snooze 1 hour" }).click();
  await rule.getByText(/snoozed until/).waitFor();
  const { rules } = await daemon.api("GET", "/api/notify/rules");
  assert.ok(new Date(rules.find((r) => r.subject.startsWith("person-"))?.snooze_until) > new Date(), "stored");
  const [audited] = (await daemon.api("GET", "/api/audit?action=rule")).entries;
  assert.equal(audited?.action, "rule.changed");
  assert.equal(audited?.actor.name, login.user, "the rule's change is in the audit trail, by its user");

  const rung = await ringAndWait(daemon);
  assert.deepEqual(rung.names, ["Dana"]);
  const visit = await daemon.api("GET", `/api/events/${rung.id}`);
  assert.notEqual(visit.deliveries[0]?.state, "skipped", "a press is always told");

  await rule.getByLabel("webhook").uncheck();
  await rule.getByRole("button", { name: "Save" }).click();
  await rule.getByRole("alert").getByText(/at least one channel/).waitFor();
  await rule.getByRole("button", { name: "Stop snoozing" }).click();
  await rule.getByText("Told on every channel.").waitFor();
  await page.context().close();
});

// Rings through `at`'s API and returns the event once it is stored.
async function ringAndWait(at) {
  const newest = async () => (await at.api("GET", "/api/events?limit=1")).events[0];
  const before = (await newest())?.id ?? 0;
  await at.api("POST", "/api/ring", "");
  for (;;) {
    const event = await newest();
    if (event && event.id > before) return event;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("familiar faces: a stranger's rings are one visitor, who is named, corrected and ignored", async () => {
  // A door where nobody is enrolled: the camera's face is a stranger.
  const door = await startDaemon({
    binary, models, camera: portrait,
    extra: { webhook: { url: `http://127.0.0.1:${receiver.address().port}/hook`, secret: "s" },
             notify: { cooldown_seconds: 0 }, pipeline: { hold_off_seconds: 0 } },
  });
  try {
    for (let i = 0; i < 3; ++i) await ringAndWait(door);
    const page = await newPage();
    await logIn(page, login.password, door);
    await page.getByRole("link", { name: "Visitors" }).click();
    const card = page.locator(".visitors li").first();
    await card.getByText(/seen 3 times/).waitFor();
    assert.equal(await page.locator(".visitors li").count(), 1, "three rings, one visitor");
    await page.screenshot({ path: join(artifacts, "visitors-desktop.png"), fullPage: true });

    // Named: the next ring names her.
    await card.getByRole("link").click();
    await page.locator(".samples img").nth(2).waitFor();
    await page.getByLabel("This is").fill("Robin");
    await page.getByRole("button", { name: /^Name Visitor/ }).click();
    await page.getByRole("heading", { level: 2, name: /Robin/ }).waitFor();
    const named = await ringAndWait(door);
    assert.deepEqual(named.names, ["Robin"]);
    assert.equal((await door.api("GET", "/api/events?person=Robin")).events.length, 4, "the past visits relabelled");

    // "This is not Robin" on that visit: the next ring is not named Robin.
    await page.goto(`${door.url}/#/events/${named.id}`);
    await page.getByRole("button", { name: "This is not Robin" }).click();
    const visitorLink = page.locator(".faces-seen").getByRole("link", { name: /^Visitor \d+$/ });
    await visitorLink.waitFor();
    const corrected = await ringAndWait(door);
    assert.equal(corrected.kind, "unknown", `named ${corrected.names} again`);
    assert.deepEqual(corrected.names, []);

    // Ignored: the next ring is not told as a stranger.
    await visitorLink.click();
    await page.getByRole("button", { name: /^Ignore Visitor/ }).waitFor();
    const actions = await tabStops(page);
    for (const wanted of ["This is", "Name Visitor", "Ignore Visitor", "Delete Visitor"]) {
      assert.ok(actions.some((n) => n.startsWith(wanted)), `Tab does not reach "${wanted}": ${actions.join(" | ")}`);
    }
    await page.getByRole("button", { name: /^Ignore Visitor/ }).click();
    await page.getByRole("button", { name: /^Stop ignoring/ }).waitFor();
    hooks.length = 0; // event ids of the two doors overlap
    const ignored = await ringAndWait(door);
    assert.equal(ignored.kind, "ignored");
    for (let i = 0; i < 100 && !hooks.some((h) => h.event_id === ignored.id); ++i) await new Promise((r) => setTimeout(r, 100));
    const told = hooks.find((h) => h.event_id === ignored.id);
    assert.equal(told?.kind, "ignored", "the webhook hears of an ignored visitor, not of an unknown one");

    // Enrolled from a past visit's face: "This is Pat" on that visit.
    await page.goto(`${door.url}/#/events/${ignored.id}`);
    await page.getByLabel("Name of face 1").fill("Pat");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator(".faces-seen").getByText("Pat", { exact: true }).waitFor();
    const pat = (await door.api("GET", "/api/people")).people.find((p) => p.name === "Pat");
    assert.equal(pat?.samples, 1, "the visit's face is Pat's sample");
    assert.deepEqual((await door.api("GET", `/api/events/${ignored.id}`)).names, ["Pat"]);

    // The admin's Activity page tells all of it in words, newest first, at a phone's size too.
    await page.getByRole("link", { name: "Activity" }).click();
    await page.locator(".audit li").first().waitFor();
    const activity = (await page.locator(".audit li").allInnerTexts()).map((t) => t.replace(/\s+/g, " "));
    for (const wanted of [/dana identified a face: \(this is Pat/, /dana ignored Visitor \d+/,
                          /dana corrected a face: \(this is not Robin\)/, /dana named Visitor \d+ \(as Robin/,
                          /dana logged in/, /\(command line\) added the app user dana/]) {
      assert.ok(activity.some((t) => wanted.test(t)), `no ${wanted} in: ${activity.join(" | ")}`);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, "the activity page is wider than the phone");
    await page.screenshot({ path: join(artifacts, "activity-phone.png"), fullPage: true });
    await page.context().close();
  } finally {
    await door.stop();
  }
});

test("doors sharing one database: the timeline says which door each visit was at, and filters by door",
     { skip: postgresUnavailable() || false }, async () => {
  const server = await startPostgres();
  const doors = [];
  try {
    for (const [id, name] of [["front", "Front door"], ["back", "Back door"]]) {
      doors.push(await startDaemon({
        binary, models, camera: portrait,
        extra: { door: { id, name }, storage: { backend: "postgres" }, notify: { cooldown_seconds: 0 } },
        env: { DOORBELL_STORAGE_POSTGRES: server.conninfo },
      }));
    }
    const [front, back] = doors;
    await ringAndWait(front);
    await ringAndWait(back);
    const page = await newPage();
    await logIn(page, login.password, front);
    await page.getByRole("link", { name: "Timeline" }).click();
    await page.locator(".events li .door", { hasText: "Back door" }).waitFor();
    await page.locator(".events li .door", { hasText: "Front door" }).waitFor();
    await page.getByLabel("Door").selectOption({ label: "Back door" });
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll(".events li")];
      return rows.length === 1 && rows[0].querySelector(".door")?.textContent === "Back door";
    }, null, { timeout: 10000 });
    await page.context().close();
  } finally {
    for (const door of doors) await door.stop();
    server.stop();
  }
});

test("no page logged an error to the console", () => {
  assert.deepEqual(consoleErrors, []);
});
