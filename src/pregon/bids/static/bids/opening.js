// The committee's opening page: unlock the member's key file with its passphrase, fetch the
// sealed envelopes, decrypt the member's share of each in this browser (window.PregonSealing,
// from /static/bids/sealing.js) and check it against the SHA-256 the envelope holds for the
// member, and put the shares in the hand-in form, which the member then sends. For a bid whose
// share does not open with the key (share_undecryptable) or does not match its SHA-256
// (wrong_share), the form carries a declaration instead (share_undecryptable, share_mismatch):
// the page lists those bids and why before anything is sent. The key file and the passphrase never leave the device: their inputs have no name and
// sit outside the form. Without this script (or the sealing bundle) the key section stays hidden
// and the page explains how to use the pregon command instead. (A static file: the
// Content-Security-Policy allows no inline script.) Texts come from data attributes, translated
// by the server.
(function () {
  "use strict";

  // The sealing code's refusals a member declares, with the reason the platform records.
  var DECLARED = { share_undecryptable: "share_undecryptable", wrong_share: "share_mismatch" };

  function start() {
    var root = document.getElementById("opening-decrypt");
    var sealing = window.PregonSealing;
    if (!root || !sealing || typeof sealing.keyfileRead !== "function") {
      return;
    }
    var fileInput = document.getElementById("opening-key-file");
    var passphrase = document.getElementById("opening-key-passphrase");
    var button = document.getElementById("opening-decrypt-button");
    var status = document.getElementById("opening-decrypt-status");
    var failures = document.getElementById("opening-decrypt-failures");
    var declaredList = document.getElementById("opening-declarations");
    var shares = document.getElementById("opening-shares");
    var handIn = document.getElementById("opening-hand-in-button");
    var ocid = root.getAttribute("data-ocid");
    var published = root.getAttribute("data-fingerprint");

    function text(name) {
      return root.getAttribute("data-" + name) || "";
    }

    function say(name) {
      status.textContent = text("message-" + name);
    }

    function reason(error) {
      var code = error && error.code ? String(error.code).replace(/_/g, "-") : "other";
      return text("reason-" + code) || text("reason-other");
    }

    function listBids(list, message, items) {
      list.textContent = "";
      items.forEach(function (item) {
        var line = document.createElement("li");
        line.textContent = text(message)
          .replace("{number}", String(item.number))
          .replace("{reason}", item.reason);
        list.appendChild(line);
      });
      list.hidden = items.length === 0;
    }

    function listFailures(failed, declared) {
      listBids(failures, "message-bid", failed);
      listBids(declaredList, "message-declared-bid", declared);
    }

    function readFile(file) {
      return new Promise(function (resolve, reject) {
        var reader = new FileReader();
        reader.onload = function () {
          resolve(new Uint8Array(reader.result));
        };
        reader.onerror = function () {
          reject(reader.error);
        };
        reader.readAsArrayBuffer(file);
      });
    }

    function keyRefusal(error) {
      var code = error && error.code;
      if (code === "wrong_passphrase") {
        return "wrong-passphrase";
      }
      if (code === "no_webcrypto") {
        return "browser";
      }
      return "bad-file";
    }

    root.hidden = false;
    // With the script, the shares go in from the key section; the file field stays for those
    // who decrypted them elsewhere.
    if (!shares.value) {
      handIn.disabled = true;
    }

    button.addEventListener("click", function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) {
        say("no-file");
        fileInput.focus();
        return;
      }
      var secret = passphrase.value;
      button.disabled = true;
      listFailures([], []);
      say("working");
      var key = null;
      readFile(file)
        .then(function (bytes) {
          return sealing.keyfileRead(bytes, secret).catch(function (error) {
            throw { stage: "key", name: keyRefusal(error) };
          });
        })
        .then(function (opened) {
          key = opened;
          passphrase.value = "";
          if (opened.fingerprint !== published) {
            throw { stage: "key", name: "wrong-key" };
          }
          return fetch(root.getAttribute("data-envelopes-url"), {
            credentials: "same-origin",
            headers: { Accept: "application/json" },
          }).then(function (response) {
            if (!response.ok) {
              throw { stage: "fetch", name: "fetch" };
            }
            return response.json();
          });
        })
        .then(function (body) {
          var decrypted = [];
          var failed = [];
          var declarations = [];
          var declared = [];
          var work = Promise.resolve();
          (body.bids || []).forEach(function (bid, index) {
            work = work.then(function () {
              return Promise.resolve()
                .then(function () {
                  return sealing.shareDecrypt(
                    sealing.b64decode(bid.envelope),
                    ocid,
                    key.privateKey,
                    key.fingerprint
                  );
                })
                .then(
                  function (share) {
                    decrypted.push({ bid: bid.id, share: sealing.b64encode(share) });
                  },
                  function (error) {
                    var code = error && DECLARED[error.code];
                    if (code) {
                      declarations.push({ bid: bid.id, reason: code });
                      declared.push({ number: index + 1, reason: reason(error) });
                    } else {
                      failed.push({ number: index + 1, reason: reason(error) });
                    }
                  }
                );
            });
          });
          return work.then(function () {
            return {
              decrypted: decrypted,
              failed: failed,
              declarations: declarations,
              declared: declared,
            };
          });
        })
        .then(function (result) {
          listFailures(result.failed, result.declared);
          if (
            result.decrypted.length === 0 &&
            result.declarations.length === 0 &&
            result.failed.length > 0
          ) {
            say("none");
            return;
          }
          var handed = { shares: result.decrypted };
          if (result.declarations.length) {
            handed.declarations = result.declarations;
          }
          shares.value = JSON.stringify(handed);
          handIn.disabled = false;
          if (result.declarations.length) {
            say("declared");
          } else {
            say(result.failed.length ? "partial" : "done");
          }
          handIn.focus();
        })
        .catch(function (problem) {
          say(problem && problem.name ? problem.name : "fetch");
        })
        .then(function () {
          if (key && key.privateKey && typeof key.privateKey.fill === "function") {
            key.privateKey.fill(0);
          }
          key = null;
          button.disabled = false;
        });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
