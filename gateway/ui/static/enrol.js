// consentgate workspace: recording a voice enrolment in the browser (MediaRecorder).
// Without this script (or a microphone) the page still works: its file inputs upload
// recordings made elsewhere. With it, the statement and references can be recorded, played
// back and recorded again, and the form is sent by fetch with the CSRF token in a header;
// the page that comes back (the result, or the refusal with its code) replaces this one.
"use strict";

(() => {
  const form = document.querySelector("form[data-enrol]");
  if (!form) {
    return;
  }
  // What Chromium's and Firefox's recorders both produce and the gateway decodes.
  const PREFERRED_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm"];
  const words = document.getElementById("enrol-words").dataset;
  const message = form.querySelector("[data-testid=enrol-message]");
  const maxReferences = Number(form.dataset.maxReferences);
  const recorded = { statement: [], references: [] };

  function recordingType() {
    return PREFERRED_TYPES.find((type) => MediaRecorder.isTypeSupported(type)) || "";
  }

  function say(text) {
    message.textContent = text;
  }

  // One take in a recorder's list: play it back, or remove it.
  function showTake(list, takes, blob, label) {
    const item = document.createElement("li");
    const audio = document.createElement("audio");
    audio.controls = true;
    audio.src = URL.createObjectURL(blob);
    audio.setAttribute("aria-label", label);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link-button";
    remove.textContent = words.remove;
    remove.addEventListener("click", () => {
      takes.splice(takes.indexOf(blob), 1);
      URL.revokeObjectURL(audio.src);
      item.remove();
    });
    item.append(audio, remove);
    list.append(item);
  }

  function setUp(box) {
    const kind = box.dataset.recorder; // "statement" (one take) or "references" (several)
    const takes = recorded[kind];
    const start = box.querySelector("[data-action=record]");
    const stop = box.querySelector("[data-action=stop]");
    const state = box.querySelector(".recording-state");
    const list = box.querySelector(".takes");
    let recorder = null;

    start.addEventListener("click", async () => {
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        state.textContent = words.noMicrophone;
        return;
      }
      const type = recordingType();
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
      const chunks = [];
      recorder.addEventListener("dataavailable", (event) => chunks.push(event.data));
      recorder.addEventListener("stop", () => {
        stream.getTracks().forEach((track) => track.stop()); // the microphone light goes off
        const blob = new Blob(chunks, { type: recorder.mimeType });
        if (kind === "statement") {
          takes.length = 0; // a statement is one take: recording again replaces it
          list.querySelectorAll("audio").forEach((audio) => URL.revokeObjectURL(audio.src));
          list.replaceChildren();
        }
        takes.push(blob);
        showTake(list, takes, blob, `${words.take} ${takes.length}`);
        state.textContent = words.recorded;
        start.disabled = false;
        stop.disabled = true;
        if (kind === "statement") {
          start.textContent = words.recordAgain;
        }
        start.focus();
      });
      recorder.start();
      state.textContent = words.recording;
      start.disabled = true;
      stop.disabled = false;
      stop.focus();
    });
    stop.addEventListener("click", () => {
      if (recorder && recorder.state === "recording") {
        recorder.stop();
      }
    });
    box.hidden = false;
  }

  function extension(blob) {
    return blob.type.includes("ogg") ? "ogg" : "webm";
  }

  // The recordings to send: a recorded statement wins over a chosen file.
  function collect() {
    const data = new FormData();
    data.append("challenge_id", form.elements.challenge_id.value);
    const statementFile = form.elements.statement.files[0];
    const statement = recorded.statement[0];
    if (statement) {
      data.append("statement", statement, `statement.${extension(statement)}`);
    } else if (statementFile) {
      data.append("statement", statementFile);
    } else {
      return [null, words.needStatement];
    }
    const files = Array.from(form.elements.references.files);
    recorded.references.forEach((blob, i) => {
      data.append("references", blob, `reference-${i + 1}.${extension(blob)}`);
    });
    files.forEach((file) => data.append("references", file));
    const count = recorded.references.length + files.length;
    if (count < 1 || count > maxReferences) {
      return [null, words.needReferences];
    }
    return [data, ""];
  }

  // The answer is a page: the result, or the refusal with its code (both server-rendered).
  async function show(response) {
    const type = response.headers.get("content-type") || "";
    if (!type.startsWith("text/html")) {
      // Refused at the edge before the workspace saw it (a body too large): problem+json.
      const problem = await response.json().catch(() => ({}));
      say(`${words.failed} ${problem.code || response.status}: ${problem.detail || ""}`);
      return false;
    }
    const answer = new DOMParser().parseFromString(await response.text(), "text/html");
    const main = document.getElementById("main");
    main.replaceWith(answer.getElementById("main"));
    document.title = answer.title;
    document.getElementById("main").focus();
    return true;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [data, problem] = collect();
    if (!data) {
      say(problem);
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(words.sending);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRF-Token": form.elements.csrf_token.value },
      });
      if (await show(response)) {
        return;
      }
    } catch (error) {
      say(words.failed);
    }
    button.disabled = false;
  });

  if (navigator.mediaDevices && window.MediaRecorder) {
    form.querySelectorAll("[data-recorder]").forEach(setUp);
  }
})();
