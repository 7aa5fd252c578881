// The service's HTTP API, the only thing the page talks to (same origin, relative URLs).
export class ApiError extends Error {
  constructor(status, errors) {
    super(errors.map((e) => e.message).join("; ") || `HTTP ${status}`);
    this.status = status;
    this.errors = errors;
  }
}

export function makeApi(getLang) {
  async function call(method, path, body, headers = {}) {
    const options = { method, headers: { "Accept-Language": getLang(), ...headers } };
    if (body instanceof FormData || body instanceof Blob || typeof body === "string") options.body = body;
    else if (body !== undefined) {
      options.body = JSON.stringify(body);
      options.headers["Content-Type"] = "application/json";
    }
    const answer = await fetch(path, options);
    const type = answer.headers.get("content-type") || "";
    if (!answer.ok) {
      const data = type.includes("json") ? await answer.json() : { errors: [] };
      throw new ApiError(answer.status, data.errors || []);
    }
    return { answer, type };
  }
  return {
    async json(method, path, body, headers) {
      const { answer } = await call(method, path, body, headers);
      return answer.json();
    },
    async blob(method, path, body, headers) {
      const { answer } = await call(method, path, body, headers);
      return { blob: await answer.blob(), headers: answer.headers };
    },
  };
}

export function download(blob, name) {
  const studio = window.kinerjaStudio;
  if (studio && studio.downloads) studio.downloads.push({ name, blob }); // what the page handed over, for the tests
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export function fileNameOf(headers, fallback) {
  const found = /filename="([^"]+)"/.exec(headers.get("content-disposition") || "");
  return found ? found[1] : fallback;
}
