// reportgen serve: uploads with progress, and the forms table sorted and filtered.
// Plain JavaScript, no build step, nothing loaded from elsewhere (the page works offline).
"use strict";

function uploadOne(file) {
  return new Promise((resolve) => {
    const body = new FormData();
    body.append("files", file, file.name);
    const request = new XMLHttpRequest();
    request.open("POST", "/upload");
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) setProgress(null, event.loaded / event.total);
    };
    request.onload = () => {
      let answer = {};
      try { answer = JSON.parse(request.responseText); } catch (e) { answer = {}; }
      resolve(request.status === 200 ? { ok: true, answer } :
        { ok: false, error: answer.error || `服务器返回 ${request.status}` });
    };
    request.onerror = () => resolve({ ok: false, error: "连接服务器失败" });
    request.send(body);
  });
}

let done = 0, total = 0;
function setProgress(text, part) {
  const fill = document.getElementById("progress-fill");
  if (fill) fill.style.width = `${Math.round(((done + (part || 0)) / Math.max(total, 1)) * 100)}%`;
  if (text) document.getElementById("progress-text").textContent = text;
}

async function uploadAll(files) {
  const list = Array.from(files);
  if (!list.length) return;
  const errors = [];
  done = 0; total = list.length;
  document.getElementById("progress").hidden = false;
  const shown = document.getElementById("upload-error");
  shown.hidden = true;
  for (const file of list) {
    setProgress(`正在上传并读取 ${file.name}（${done + 1}/${total}）…`, 0);
    const result = await uploadOne(file);
    if (!result.ok) errors.push(`${file.name}：${result.error}`);
    done += 1;
    setProgress(null, 0);
  }
  setProgress(`已读取 ${total - errors.length}/${total} 个文件`, 0);
  if (errors.length) {
    shown.textContent = errors.join("；");
    shown.hidden = false;
    sessionStorage.setItem("reportgen-upload-error", shown.textContent);
  }
  window.location.reload();
}

function sortTable(table, column, type) {
  const header = table.tHead.rows[0].cells[column];
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  for (const th of table.tHead.rows[0].cells) th.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const key = (row) => {
    const cell = row.cells[column];
    const text = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
    if (type !== "number") return text;
    const number = parseFloat(text);
    return Number.isNaN(number) ? -Infinity : number;
  };
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const order = type === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
    return ascending ? order : -order;
  });
  rows.forEach((row) => body.appendChild(row));
}

function applyFilters(table) {
  const filters = document.querySelectorAll("[data-filter]");
  for (const row of table.tBodies[0].rows) {
    let show = true;
    for (const filter of filters) {
      const wanted = filter.value.trim();
      if (!wanted) continue;
      const name = filter.dataset.filter;
      if (name === "text") show = show && row.textContent.includes(wanted);
      else show = show && row.dataset[name] === wanted;
    }
    row.hidden = !show;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  const stored = sessionStorage.getItem("reportgen-upload-error");
  if (stored) {
    const shown = document.getElementById("upload-error");
    if (shown) { shown.textContent = stored; shown.hidden = false; }
    sessionStorage.removeItem("reportgen-upload-error");
  }
  if (drop && input) {
    input.addEventListener("change", () => uploadAll(input.files));
    ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (event) => {
      event.preventDefault(); drop.classList.add("over");
    }));
    ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, (event) => {
      event.preventDefault(); drop.classList.remove("over");
    }));
    drop.addEventListener("drop", (event) => uploadAll(event.dataTransfer.files));
  }
  const table = document.getElementById("forms");
  if (table) {
    Array.from(table.tHead.rows[0].cells).forEach((th, column) =>
      th.addEventListener("click", () => sortTable(table, column, th.dataset.sort)));
    document.querySelectorAll("[data-filter]").forEach((filter) =>
      ["input", "change"].forEach((name) => filter.addEventListener(name, () => applyFilters(table))));
  }
  const zip = document.getElementById("zip");
  if (zip) zip.addEventListener("submit", () => {
    document.getElementById("progress").hidden = false;
    document.getElementById("progress-text").textContent = "正在生成 ZIP，完成后浏览器开始下载…";
  });
});
