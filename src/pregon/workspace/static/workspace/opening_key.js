// "My opening key": make the committee member's key pair in the browser, download the key file,
// and fill in the public key to register. Nothing secret leaves the device: the passphrase
// fields and the file input have no name, so the form never posts them; only the public key is
// sent, when the member registers it. Without this script (or without the sealing bundle,
// /static/bids/sealing.js), the section stays hidden and the member pastes the public key that
// `pregon keys generate` printed. (A static file: the Content-Security-Policy allows no inline
// script.) The page's texts come from data attributes, translated by the server.
(function () {
  "use strict";
  var KEY_FILE_FORMAT = "pregon-committee-key/1";
  var PUBLIC_KEY = /^[A-Za-z0-9_-]{43}$/;
  var FINGERPRINT = /^[0-9a-f]{64}$/;

  // {file: Uint8Array, publicKey: b64, fingerprint: hex} for a new key pair, from the
  // bundle's parts (pregon.sealing's names).
  function keyFileMaker(sealing) {
    if (!sealing) {
      return null;
    }
    var parts = ["generateMemberKey", "keyfileWrite", "fingerprint", "b64encode"];
    for (var i = 0; i < parts.length; i += 1) {
      if (typeof sealing[parts[i]] !== "function") {
        return null;
      }
    }
    return function (passphrase) {
      return Promise.resolve(sealing.generateMemberKey()).then(function (pair) {
        return Promise.resolve(sealing.keyfileWrite(pair.privateKey, passphrase)).then(
          function (file) {
            return {
              file: file,
              publicKey: sealing.b64encode(pair.publicKey),
              fingerprint: sealing.fingerprint(pair.publicKey),
            };
          }
        );
      });
    };
  }

  function start() {
    var root = document.getElementById("opening-key-generator");
    var makeKeyFile = keyFileMaker(window.PregonSealing);
    if (!root || !makeKeyFile) {
      return;
    }
    var passphrase = document.getElementById("opening-key-passphrase");
    var again = document.getElementById("opening-key-passphrase-again");
    var button = document.getElementById("opening-key-generate");
    var file = document.getElementById("opening-key-file");
    var status = document.getElementById("opening-key-status");
    var field = document.getElementById("id_public_key");
    var shown = document.getElementById("opening-key-fingerprint");
    var minimum = parseInt(root.getAttribute("data-passphrase-min"), 10) || 12;

    function say(name) {
      status.textContent = root.getAttribute("data-message-" + name) || "";
    }

    function use(publicKey, fingerprint) {
      field.value = publicKey;
      shown.textContent = fingerprint;
      shown.hidden = false;
    }

    function download(bytes, fingerprint) {
      var blob = new Blob([bytes], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = root.getAttribute("data-file-name") + "-" + fingerprint.slice(0, 16) + ".json";
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () {
        URL.revokeObjectURL(link.href);
      }, 10000);
    }

    button.addEventListener("click", function () {
      var secret = passphrase.value;
      if (secret.length < minimum) {
        say("short");
        passphrase.focus();
        return;
      }
      if (secret !== again.value) {
        say("mismatch");
        again.focus();
        return;
      }
      button.disabled = true;
      say("working");
      Promise.resolve()
        .then(function () {
          return makeKeyFile(secret);
        })
        .then(function (made) {
          if (!PUBLIC_KEY.test(made.publicKey) || !FINGERPRINT.test(made.fingerprint)) {
            throw new Error("unexpected key");
          }
          download(made.file, made.fingerprint);
          use(made.publicKey, made.fingerprint);
          passphrase.value = "";
          again.value = "";
          say("done");
          field.focus();
        })
        .catch(function () {
          say("failed");
        })
        .then(function () {
          button.disabled = false;
        });
    });

    file.addEventListener("change", function () {
      var chosen = file.files && file.files[0];
      if (!chosen) {
        return;
      }
      chosen
        .text()
        .then(function (text) {
          var data = JSON.parse(text);
          if (
            !data ||
            data.format !== KEY_FILE_FORMAT ||
            !PUBLIC_KEY.test(data.publicKey) ||
            !FINGERPRINT.test(data.fingerprint)
          ) {
            throw new Error("not a key file");
          }
          use(data.publicKey, data.fingerprint);
          say("file-read");
        })
        .catch(function () {
          say("file-bad");
        });
    });

    root.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
