// A small element builder: h("button", {class: "x", onclick}, "text", child…)
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "class") element.className = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key in element && typeof value !== "string") element[key] = value;
    else element.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) element.setAttribute(key, value);
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function errorBox(error) {
  const errors = error && error.errors && error.errors.length ? error.errors : [{ message: String(error && error.message || error) }];
  return h("div", { class: "alert", role: "alert" },
    errors.map((e) => h("div", {}, e.code ? h("code", {}, e.code) : null, e.code ? " " : null,
      e.line ? `${e.line}:${e.column} ` : null, e.message)));
}

export function number(value, lang) {
  return Number(value).toLocaleString(lang === "id" ? "id-ID" : "en-US");
}

// replaceChildren that takes nested arrays and skips null/false, as h() does
export function put(element, ...children) {
  element.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}
