// The bid page (workspace/supplier/bids/bid.html): seal the bid in this browser and send only
// the sealed envelope and the encrypted documents, through the bids API (signed in with this
// page's session, its CSRF token and the organization the page acts for).
//
// 1. Check what was typed and chosen (prices, notes, documents: type by content, size).
// 2. Fetch the tender's opening committee from the API and refuse unless it is exactly the one
//    printed on the page from the tender's published release (fingerprints, order, threshold).
// 3. Seal with window.PregonSealing (/static/bids/sealing.js): the plain bid and each document
//    under a fresh data key, its shares to the committee's keys.
// 4. Upload each encrypted document in chunks; after a dropped connection ask where the upload
//    stands (its `received`) and send only the rest.
// 5. Keep the envelope, the uploads and a new Idempotency-Key in sessionStorage, then submit
//    (or replace): a retry, even after reloading the page, sends the same request with the same
//    key, so it never makes a second bid and answers the first receipt. The stored copy goes
//    once a receipt (or a refusal) arrives.
// 6. Show the receipt and offer it as a file, in the format `pregon bid receipt` saves.
//
// The form's fields have no name: without this script nothing can be posted, and the page says
// why (sealing needs JavaScript) and shows the pregon command instead. The page's texts come
// from data attributes, translated by the server (the Content-Security-Policy allows no inline
// script).
(function () {
  "use strict";

  const AMOUNT = /^(0|[1-9][0-9]{0,29})([.,][0-9]{1,10})?$/;
  const RETRIES = 8;
  const STORE_PREFIX = "pregon:bid-pending:";

  class Refused extends Error {
    constructor(detail) {
      super(detail);
      this.detail = detail;
    }
  }

  class Unreachable extends Error {}

  function wait(ms) {
    return new Promise((resolve) => window.setTimeout(resolve, ms));
  }

  function backoff(attempt) {
    return Math.min(15000, 500 * 2 ** attempt);
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function startsWith(bytes, signature) {
    return signature.every((value, index) => bytes[index] === value);
  }

  // The same rule as the server's check of other uploads (pregon.core.uploads): the content
  // must be what the name says. The server cannot check these: it only ever sees ciphertext.
  function contentMatches(extension, bytes) {
    const zip =
      startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
    switch (extension) {
      case ".pdf":
        return startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d]);
      case ".png":
        return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      case ".jpg":
      case ".jpeg":
        return startsWith(bytes, [0xff, 0xd8, 0xff]);
      case ".csv":
      case ".txt":
        if (bytes.includes(0)) {
          return false;
        }
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(bytes);
          return true;
        } catch (error) {
          return false;
        }
      default:
        return zip;
    }
  }

  function extensionOf(name) {
    const dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot).toLowerCase();
  }

  function start() {
    const root = document.getElementById("bid-sealing");
    const sealing = window.PregonSealing;
    if (
      !root ||
      !sealing ||
      typeof sealing.sealBid !== "function" ||
      !window.crypto ||
      !window.crypto.subtle ||
      !window.fetch ||
      !window.sessionStorage
    ) {
      return;
    }
    const data = root.dataset;
    const urls = JSON.parse(data.urls);
    const types = JSON.parse(data.types);
    const ocid = data.ocid;
    const storeKey = STORE_PREFIX + data.organization + ":" + ocid;
    const chunkSize = parseInt(data.chunk, 10);
    const documentLimit = parseInt(data.documentLimit, 10);
    const documentsMax = parseInt(data.documentsMax, 10);

    const form = document.getElementById("bid-form");
    const needsScript = document.getElementById("bid-needs-script");
    const errors = document.getElementById("bid-errors");
    const errorsText = document.getElementById("bid-errors-text");
    const submit = document.getElementById("bid-submit");
    const status = document.getElementById("bid-status");
    const progressGroup = document.getElementById("bid-progress-group");
    const progress = document.getElementById("bid-progress");
    const resend = document.getElementById("bid-resend");
    const resendRow = document.getElementById("bid-resend-row");
    const receipt = document.getElementById("bid-receipt");
    const cli = document.getElementById("bid-cli");

    function text(name, values) {
      let message = root.getAttribute("data-text-" + name) || "";
      Object.keys(values || {}).forEach((key) => {
        message = message.split("%(" + key + ")s").join(String(values[key]));
      });
      return message;
    }

    function say(message) {
      status.textContent = message;
    }

    function headers(extra) {
      const all = {
        Accept: "application/json",
        "Accept-Language": document.documentElement.lang || "en",
        "X-CSRFToken": data.csrf,
      };
      all[data.organizationHeader] = data.organization;
      return Object.assign(all, extra || {});
    }

    async function problemOf(response) {
      try {
        const problem = await response.json();
        return problem && typeof problem === "object" ? problem : {};
      } catch (error) {
        return {};
      }
    }

    function detailOf(problem, response) {
      return String(problem.detail || problem.title || response.status + " " + response.statusText);
    }

    // A JSON request retried while the network or the server fails (never on a refusal).
    async function requestJson(method, url, body) {
      for (let attempt = 0; attempt < RETRIES; attempt += 1) {
        let response;
        try {
          response = await fetch(url, {
            method,
            headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }),
            body: body === undefined ? undefined : JSON.stringify(body),
            credentials: "same-origin",
          });
        } catch (error) {
          await wait(backoff(attempt));
          continue;
        }
        if (response.ok) {
          return response.json();
        }
        if (response.status === 429 || response.status >= 500) {
          await wait(backoff(attempt));
          continue;
        }
        throw new Refused(detailOf(await problemOf(response), response));
      }
      throw new Unreachable();
    }

    // ---------------------------------------------------------------------------------------
    // the form

    function groups() {
      return form.querySelectorAll("[data-field]");
    }

    function clearErrors() {
      errors.hidden = true;
      groups().forEach((group) => {
        group.classList.remove("usa-form-group--error");
        const message = group.querySelector(".usa-error-message");
        message.hidden = true;
        message.textContent = "";
        const field = group.querySelector("input, textarea");
        field.removeAttribute("aria-invalid");
        const described = (field.getAttribute("aria-describedby") || "")
          .split(" ")
          .filter((id) => id && id !== message.id);
        field.setAttribute("aria-describedby", described.join(" "));
      });
    }

    function fieldError(name, message) {
      const group = form.querySelector('[data-field="' + name + '"]');
      const error = group.querySelector(".usa-error-message");
      const field = group.querySelector("input, textarea");
      group.classList.add("usa-form-group--error");
      error.textContent = error.textContent ? error.textContent + " " + message : message;
      error.hidden = false;
      field.setAttribute("aria-invalid", "true");
      const described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (!described.includes(error.id)) {
        described.push(error.id);
      }
      field.setAttribute("aria-describedby", described.join(" "));
      return field;
    }

    function showSummary(message, focus) {
      errorsText.textContent = message;
      errors.hidden = false;
      if (focus) {
        focus.focus();
      }
    }

    // What was typed and chosen, checked; null (with the errors shown) when something is wrong.
    async function readForm() {
      clearErrors();
      let first = null;
      const mark = (name, message) => {
        const field = fieldError(name, message);
        first = first || field;
      };
      const lots = [];
      form.querySelectorAll("input[data-lot]").forEach((input) => {
        const value = input.value.trim();
        if (!value) {
          return;
        }
        if (!AMOUNT.test(value)) {
          mark("lot-" + input.dataset.lot, text("amount"));
          return;
        }
        lots.push({ lot: input.dataset.lot, amount: value.replace(",", "."), currency: data.currency });
      });
      if (lots.length === 0 && first === null) {
        const firstLot = form.querySelector("input[data-lot]");
        mark("lot-" + firstLot.dataset.lot, text("no-lot"));
      }
      const declaration = document.getElementById("bid-declaration");
      if (!declaration.checked) {
        mark("declaration", text("declaration"));
      }
      const notes = document.getElementById("bid-notes").value;
      const answers = notes.trim() ? [{ question: data.notesQuestion, answer: notes }] : [];
      const files = Array.from(document.getElementById("bid-documents").files || []);
      const documents = [];
      if (files.length > documentsMax) {
        mark("documents", text("too-many"));
      } else {
        for (const file of files) {
          const extension = extensionOf(file.name);
          const values = { name: file.name };
          if (!Object.prototype.hasOwnProperty.call(types, extension)) {
            mark("documents", text("type", values));
            continue;
          }
          if (file.size === 0) {
            mark("documents", text("empty", values));
            continue;
          }
          if (file.size > documentLimit) {
            mark("documents", text("size", values));
            continue;
          }
          let bytes;
          try {
            bytes = new Uint8Array(await file.arrayBuffer());
          } catch (error) {
            mark("documents", text("unreadable", values));
            continue;
          }
          if (!contentMatches(extension, bytes)) {
            mark("documents", text("content", values));
            continue;
          }
          documents.push({
            id: "d" + (documents.length + 1),
            name: file.name,
            mediaType: types[extension],
            bytes,
          });
        }
      }
      if (first !== null) {
        showSummary(text("summary"), first);
        return null;
      }
      return { lots, answers, documents, declaration: declaration.dataset.version };
    }

    // ---------------------------------------------------------------------------------------
    // committee, sealing, uploads

    function publishedCommittee() {
      const table = document.getElementById("bid-committee");
      return {
        threshold: parseInt(table.dataset.threshold, 10),
        fingerprints: Array.from(table.querySelectorAll("[data-fingerprint]"), (cell) =>
          cell.getAttribute("data-fingerprint"),
        ),
      };
    }

    async function committee() {
      let answer;
      try {
        answer = await requestJson("GET", urls.committee);
      } catch (error) {
        throw new Refused(text("committee-failed"));
      }
      const members = (answer.members || []).slice().sort((a, b) => a.position - b.position);
      const published = publishedCommittee();
      const same =
        answer.threshold === published.threshold &&
        members.length === published.fingerprints.length &&
        members.every((member, index) => member.fingerprint === published.fingerprints[index]);
      if (!same) {
        throw new Refused(text("committee-mismatch"));
      }
      return { threshold: answer.threshold, members };
    }

    async function seal(bid) {
      const keys = await committee();
      say(text("sealing"));
      try {
        return await sealing.sealBid({
          ocid,
          members: keys.members.map((member) => ({
            fingerprint: member.fingerprint,
            publicKey: member.public_key,
          })),
          threshold: keys.threshold,
          bid: { lots: bid.lots, answers: bid.answers },
          documents: bid.documents,
        });
      } catch (error) {
        throw new Refused(text(error && error.code === "too_large" ? "too-large" : "seal-failed"));
      }
    }

    function uploadUrl(id) {
      return urls.upload.replace(urls.anyId, id);
    }

    async function received(id) {
      const upload = await requestJson("GET", uploadUrl(id));
      return upload.received;
    }

    // Send one encrypted document; returns its upload's id once complete.
    async function upload(stored, onProgress) {
      const size = stored.length;
      const started = await requestJson("POST", urls.uploadStart, {
        size,
        sha256: sealing.sha256Hex(stored),
      });
      let at = started.received;
      let failures = 0;
      while (at < size) {
        onProgress(at / size);
        const end = Math.min(at + chunkSize, size);
        let response = null;
        try {
          response = await fetch(uploadUrl(started.id), {
            method: "PUT",
            headers: headers({
              "Content-Type": "application/octet-stream",
              "Content-Range": "bytes " + at + "-" + (end - 1) + "/" + size,
            }),
            body: stored.subarray(at, end),
            credentials: "same-origin",
          });
        } catch (error) {
          response = null;
        }
        if (response !== null && response.ok) {
          at = (await response.json()).received;
          failures = 0;
          continue;
        }
        const problem = response === null ? {} : await problemOf(response);
        if (response !== null && response.status === 409 && typeof problem.received === "number") {
          // The upload stands elsewhere (an earlier chunk arrived after all): go on from there.
          at = problem.received;
          continue;
        }
        if (response !== null && response.status !== 429 && response.status < 500) {
          throw new Refused(detailOf(problem, response));
        }
        failures += 1;
        if (failures > RETRIES) {
          throw new Unreachable();
        }
        say(text("resuming"));
        await wait(backoff(failures - 1));
        at = await received(started.id);
      }
      onProgress(1);
      return started.id;
    }

    async function uploadAll(documents) {
      const uploaded = [];
      progressGroup.hidden = documents.length === 0;
      for (let index = 0; index < documents.length; index += 1) {
        say(text("uploading", { number: index + 1, count: documents.length }));
        const id = await upload(documents[index].stored, (share) => {
          progress.value = Math.round(((index + share) / documents.length) * 100);
        });
        uploaded.push({ id: documents[index].id, upload: id });
      }
      progressGroup.hidden = true;
      return uploaded;
    }

    // ---------------------------------------------------------------------------------------
    // the submission, kept until its receipt arrives

    function loadPending() {
      try {
        const pending = JSON.parse(window.sessionStorage.getItem(storeKey) || "null");
        return pending && pending.ocid === ocid && pending.key ? pending : null;
      } catch (error) {
        return null;
      }
    }

    function savePending(pending) {
      window.sessionStorage.setItem(storeKey, JSON.stringify(pending));
    }

    function dropPending() {
      window.sessionStorage.removeItem(storeKey);
    }

    async function send(pending) {
      resendRow.hidden = true;
      say(text("submitting"));
      const url = pending.replace ? urls.replace.replace(urls.anyId, pending.replace) : urls.submit;
      for (let attempt = 0; attempt < RETRIES; attempt += 1) {
        let response;
        try {
          response = await fetch(url, {
            method: "POST",
            headers: headers({
              "Content-Type": "application/json",
              "Idempotency-Key": pending.key,
            }),
            body: JSON.stringify({
              envelope: pending.envelope,
              documents: pending.documents,
              declaration: pending.declaration || "",
            }),
            credentials: "same-origin",
          });
        } catch (error) {
          await wait(backoff(attempt));
          continue;
        }
        if (response.ok) {
          const answer = await response.json();
          dropPending();
          showReceipt(answer, pending);
          return;
        }
        if (response.status === 429 || response.status >= 500) {
          await wait(backoff(attempt));
          continue;
        }
        // Refused: the same request would be refused again.
        dropPending();
        refused(detailOf(await problemOf(response), response));
        return;
      }
      say(text("unreachable"));
      resendRow.hidden = false;
    }

    function refused(detail) {
      progressGroup.hidden = true;
      const message = text("refused", { detail });
      if (form && !form.hidden) {
        say("");
        showSummary(message, null);
      } else {
        say(message);
      }
      if (submit) {
        submit.disabled = false;
      }
    }

    function receiptFile(answer, pending) {
      const lines = String(answer.receipt).split("\n");
      const file = {
        format: "pregon-bid-receipt/1",
        bid: answer.id,
        tender: ocid,
        action: lines[4] || "",
        commitment: answer.commitment,
        time: lines[5] || answer.receivedAt,
        leafIndex: answer.leafIndex,
        receivedAt: answer.receivedAt,
        logKey: data.logKey,
        receipt: answer.receipt,
        idempotencyKey: pending.key,
      };
      return JSON.stringify(file, null, 2) + "\n";
    }

    function readableTime(value) {
      try {
        const moment = new Date(value);
        const shown = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
          day: "numeric",
          month: "short",
          year: "numeric",
          hour: "2-digit",
          minute: "2-digit",
          second: "2-digit",
          hourCycle: "h23",
          timeZone: data.timeZone,
        }).format(moment);
        return shown + " (" + data.timeZone + ")";
      } catch (error) {
        return value;
      }
    }

    function showReceipt(answer, pending) {
      if (form) {
        form.reset();
        form.closest("section").hidden = true;
      }
      progressGroup.hidden = true;
      const fill = (name, value) => {
        receipt.querySelector('[data-receipt="' + name + '"]').textContent = value;
      };
      fill("commitment", answer.commitment);
      fill("receivedAt", readableTime(answer.receivedAt));
      receipt.querySelector('[data-receipt="receivedAt"]').setAttribute("datetime", answer.receivedAt);
      fill("leafIndex", String(answer.leafIndex));
      fill("receipt", answer.receipt);
      document.getElementById("bid-receipt-page").href = urls.receiptPage.replace(
        urls.anyId,
        answer.id,
      );
      const download = document.getElementById("bid-receipt-download");
      download.onclick = () => {
        const blob = new Blob([receiptFile(answer, pending)], { type: "application/json" });
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = "bid-" + answer.id + "-" + (pending.replace ? "replace" : "submit") + ".receipt.json";
        document.body.appendChild(link);
        link.click();
        link.remove();
        window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      };
      receipt.hidden = false;
      say(text("done"));
      document.getElementById("bid-receipt-heading").focus();
    }

    async function onSubmit(event) {
      event.preventDefault();
      if (submit.disabled) {
        return;
      }
      submit.disabled = true;
      resendRow.hidden = true;
      try {
        const bid = await readForm();
        if (bid === null) {
          submit.disabled = false;
          return;
        }
        const sealed = await seal(bid);
        const documents = await uploadAll(sealed.documents);
        const pending = {
          ocid,
          key: newKey(),
          replace: data.replace || "",
          envelope: sealing.b64encode(sealed.envelope),
          commitment: sealed.commitment,
          documents,
          declaration: bid.declaration,
        };
        savePending(pending);
        await send(pending);
      } catch (error) {
        if (error instanceof Refused) {
          refused(error.detail);
        } else if (error instanceof Unreachable) {
          progressGroup.hidden = true;
          say(text("upload-failed"));
          submit.disabled = false;
        } else {
          refused(text("seal-failed"));
        }
      }
    }

    // ---------------------------------------------------------------------------------------

    if (needsScript) {
      needsScript.hidden = true;
    }
    if (cli) {
      cli.open = false;
    }
    if (form) {
      form.hidden = false;
      form.addEventListener("submit", onSubmit);
    }
    resend.addEventListener("click", () => {
      const pending = loadPending();
      if (pending) {
        send(pending);
      }
    });
    document.addEventListener("pregon:deadline-passed", () => {
      if (submit) {
        submit.disabled = true;
      }
      if (receipt.hidden) {
        say(text("deadline"));
      }
    });
    const pending = loadPending();
    if (pending) {
      if (submit) {
        submit.disabled = true;
      }
      say(text("resending"));
      send(pending).then(() => {
        if (submit && receipt.hidden && !loadPending()) {
          submit.disabled = false;
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
