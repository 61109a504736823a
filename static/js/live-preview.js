// Live preview beside the page editor: a moment after typing stops, the form is
// posted to the admin's preview address (with its CSRF token, as any form post)
// and the page comes back as visitors would see it, shown in a sandboxed frame
// where nothing runs. Also: words, reading time and the reading grade.
// The admin puts form media in the <head>: start once the form exists.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("#page_form")
  const previewButton = form?.querySelector("input[name=_preview]")
  const bodyRow = form?.querySelector(".form-row.field-body")
  if (!form || !previewButton || !bodyRow) return

  const url = previewButton.getAttribute("formaction")
  const WAIT_MS = 700
  const DESKTOP_WIDTH = 1280
  const PHONE_WIDTH = 390
  const WORDS_PER_MINUTE = 200

  const make = (tag, attrs = {}, children = []) => {
    const el = document.createElement(tag)
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value)
    el.append(...children)
    return el
  }

  const phone = make("button", { type: "button", "aria-pressed": "false" }, ["Phone"])
  const desktop = make("button", { type: "button", "aria-pressed": "true" }, ["Desktop"])
  const status = make("span", { class: "live-preview__status", role: "status" }, ["Loading…"])
  const words = make("span", { class: "live-preview__words" })
  const grade = make("span", { class: "live-preview__grade" })
  const frame = make("iframe", {
    title: "Live preview of the page as visitors will see it",
    sandbox: "allow-same-origin",
    tabindex: "-1",
  })
  const viewport = make("div", { class: "live-preview__viewport" }, [frame])
  const panel = make("section", { class: "live-preview", "aria-label": "Live preview" }, [
    make("div", { class: "live-preview__bar" }, [
      make("strong", {}, ["Live preview"]),
      make("span", { class: "live-preview__widths", role: "group", "aria-label": "Preview width" }, [phone, desktop]),
      status,
    ]),
    make("p", { class: "live-preview__stats" }, [words, " · ", grade]),
    viewport,
  ])
  bodyRow.classList.add("has-live-preview")
  bodyRow.append(panel)

  let width = DESKTOP_WIDTH
  const fit = () => {
    const scale = Math.min(1, viewport.clientWidth / width)
    frame.style.width = `${width}px`
    frame.style.height = `${viewport.clientHeight / scale}px`
    frame.style.transform = `scale(${scale})`
  }
  const choose = (button, newWidth) => {
    width = newWidth
    phone.setAttribute("aria-pressed", String(button === phone))
    desktop.setAttribute("aria-pressed", String(button === desktop))
    fit()
  }
  phone.addEventListener("click", () => choose(phone, PHONE_WIDTH))
  desktop.addEventListener("click", () => choose(desktop, DESKTOP_WIDTH))
  window.addEventListener("resize", fit)

  const countWords = () => {
    const body = form.querySelector("textarea[name=body]")
    const text = new DOMParser().parseFromString(body?.value || "", "text/html").body.textContent
    const count = text.split(/\s+/).filter(Boolean).length
    const minutes = count ? Math.ceil(count / WORDS_PER_MINUTE) : 0
    words.textContent = `${count} word${count === 1 ? "" : "s"}, about ${minutes} min to read`
  }

  let controller = null
  const refresh = async () => {
    countWords()
    controller?.abort()
    controller = new AbortController()
    status.textContent = "Updating…"
    const data = new FormData(form)
    let response
    try {
      response = await fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Live-Preview": "1" },
        signal: controller.signal,
      })
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = "Preview unavailable (offline?)"
      return
    }
    const html = await response.text()
    const scroll = frame.contentWindow?.scrollY || 0
    frame.addEventListener("load", () => frame.contentWindow?.scrollTo(0, scroll), { once: true })
    frame.srcdoc = html
    status.textContent = response.ok ? "Up to date" : "Fix the errors shown to update the preview"
    const found = response.headers.get("X-Reading-Grade")
    const target = response.headers.get("X-Reading-Target")
    if (found) {
      const above = Number(found) > Number(target)
      grade.textContent = `Reading grade ${found} (target ${target} or below)${above ? ": try shorter sentences and words" : ""}`
      grade.classList.toggle("live-preview__grade--above", above)
    } else if (response.ok) {
      grade.textContent = "Reading grade: write a few sentences first"
    }
  }

  let timer = null
  const later = () => {
    clearTimeout(timer)
    timer = setTimeout(refresh, WAIT_MS)
  }
  form.addEventListener("input", later)
  form.addEventListener("change", later)
  fit()
  refresh()
})
