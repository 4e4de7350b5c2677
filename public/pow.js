/* Tiến Độ: solves the feedback form's proof of work in the background.
 *
 * The server signs a challenge into the form (input "challenge") and asks for a number
 * n such that SHA-256("<challenge>:<n>") starts with data-pow zero bits. This script
 * counts up in small slices, so the page stays responsive, and writes n into the
 * "proof" input. Without it (no JavaScript, a very old browser) the form still works:
 * the server then admits the sender under a tighter limit. Plain ES5, no dependencies.
 */
(function () {
  "use strict";
  if (window.tiendoPow) {
    return;
  }
  window.tiendoPow = true;

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var W = new Array(64);

  /* The first 32-bit word of SHA-256 of an ASCII string: all the check needs. */
  function firstWord(text) {
    var length = text.length;
    var blocks = ((length + 8) >> 6) + 1;
    var words = new Array(blocks * 16);
    var i;
    for (i = 0; i < words.length; i++) {
      words[i] = 0;
    }
    for (i = 0; i < length; i++) {
      words[i >> 2] |= (text.charCodeAt(i) & 0xff) << (24 - (i % 4) * 8);
    }
    words[length >> 2] |= 0x80 << (24 - (length % 4) * 8);
    words[words.length - 1] = length * 8;

    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a;
    var h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var block = 0; block < words.length; block += 16) {
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (var t = 0; t < 64; t++) {
        if (t < 16) {
          W[t] = words[block + t] | 0;
        } else {
          var x = W[t - 15], y = W[t - 2];
          var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
          var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
          W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
        }
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var t1 = (h + S1 + ch + K[t] + W[t]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var t2 = (S0 + maj) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0;
        d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    return h0 >>> 0;
  }

  function solve(form) {
    var challengeInput = form.querySelector("input[name=challenge]");
    var proofInput = form.querySelector("input[name=proof]");
    var bits = parseInt(form.getAttribute("data-pow"), 10);
    if (!challengeInput || !proofInput || !(bits > 0 && bits <= 32)) {
      return;
    }
    var challenge = challengeInput.value;
    if (form.tiendoChallenge === challenge) {
      return;
    }
    form.tiendoChallenge = challenge;
    var limit = bits === 32 ? 0 : Math.pow(2, 32 - bits);
    var n = 0;
    function slice() {
      if (form.tiendoChallenge !== challenge) {
        return;
      }
      for (var end = n + 5000; n < end; n++) {
        if (firstWord(challenge + ":" + n) < limit) {
          proofInput.value = String(n);
          form.setAttribute("data-pow-solved", "");
          return;
        }
      }
      setTimeout(slice, 0);
    }
    slice();
  }

  function scan() {
    var forms = document.querySelectorAll("form[data-pow]");
    for (var i = 0; i < forms.length; i++) {
      solve(forms[i]);
    }
  }

  scan();
  // The page may draw the form later (after navigating within the app).
  setInterval(scan, 1000);
})();
