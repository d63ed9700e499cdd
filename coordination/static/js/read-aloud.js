// "读给我听": reads a page's main text aloud with the browser's speech synthesis, in Chinese
// (zh-CN), or in English on English pages. The buttons (core/_read_aloud.html) name what to
// read with a selector in data-read-aloud; they stay hidden where the browser cannot speak.
(function () {
  "use strict";
  if (window.grReadAloud) {
    return;  // loaded once per page, however many buttons it has
  }
  window.grReadAloud = true;
  var groups = document.querySelectorAll("[data-read-aloud]");
  var synth = window.speechSynthesis;
  if (!groups.length || !synth || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var english = (document.documentElement.lang || "").toLowerCase().indexOf("en") === 0;
  var lang = english ? "en" : "zh-CN";
  var run = 0;

  function texts(selector) {
    var found = [];
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (element) {
      if (element.closest("[data-read-aloud]")) {
        return;  // the buttons themselves
      }
      var copy = element.cloneNode(true);
      var skipped = copy.querySelectorAll("[aria-hidden=true], [data-read-aloud], script, style, svg");
      Array.prototype.forEach.call(skipped, function (skip) {
        skip.parentNode.removeChild(skip);
      });
      var text = copy.textContent.replace(/\s+/g, " ").trim();
      if (text) {
        found.push(text);
      }
    });
    return found;
  }

  // Sentence by sentence: some browsers stop a long utterance after about fifteen seconds.
  function sentences(parts) {
    var out = [];
    parts.forEach(function (part) {
      (part.match(/[^。！？；.!?;]+[。！？；.!?;]*/g) || [part]).forEach(function (sentence) {
        sentence = sentence.trim();
        if (sentence) {
          out.push(sentence);
        }
      });
    });
    return out;
  }

  function voice() {
    var voices = synth.getVoices ? synth.getVoices() : [];
    var wanted = lang.toLowerCase();
    var prefix = wanted.slice(0, 2);
    var near = null;
    for (var i = 0; i < voices.length; i += 1) {
      var code = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (code === wanted) {
        return voices[i];
      }
      if (!near && code.indexOf(prefix) === 0) {
        near = voices[i];
      }
    }
    return near;
  }

  Array.prototype.forEach.call(groups, function (group) {
    var start = group.querySelector("[data-read-start]");
    var stop = group.querySelector("[data-read-stop]");

    function finished(mine) {
      if (mine === run) {
        stop.disabled = true;
      }
    }

    start.addEventListener("click", function () {
      synth.cancel();
      run += 1;
      var mine = run;
      var list = sentences(texts(group.getAttribute("data-read-aloud")));
      var chosen = voice();
      stop.disabled = list.length === 0;
      list.forEach(function (sentence, index) {
        var utterance = new window.SpeechSynthesisUtterance(sentence);
        utterance.lang = lang;
        utterance.rate = 0.9;  // a little slower than usual, for older listeners
        if (chosen) {
          utterance.voice = chosen;
        }
        if (index === list.length - 1) {
          utterance.onend = function () { finished(mine); };
          utterance.onerror = function () { finished(mine); };
        }
        synth.speak(utterance);
      });
    });

    stop.addEventListener("click", function () {
      run += 1;
      synth.cancel();
      stop.disabled = true;
      start.focus();
    });

    group.hidden = false;
  });

  // Leaving the page stops the reading.
  window.addEventListener("pagehide", function () {
    synth.cancel();
  });
})();
