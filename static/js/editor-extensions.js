// Page chooser for the body editor: a link can point at a page (found by its
// title) instead of a typed address. The page's id is kept with the link
// (data-page-id), so the link follows the page when it moves.
import { crel, gettext, Link, updateAttrsDialog } from "django-prose-editor/editor"

const searchPages = async (url, query) => {
  const response = await fetch(`${url}?q=${encodeURIComponent(query)}`, {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  })
  if (!response.ok) return []
  return (await response.json()).results
}

// A small search box under the address field; choosing a result fills the address.
const openChooser = (url, input, onChoose) => {
  const field = input.closest(".prose-editor-dialog-field")
  if (field.querySelector(".page-chooser")) return
  const search = crel("input", {
    type: "search",
    className: "page-chooser__search",
    placeholder: gettext("Type part of a page title"),
    "aria-label": gettext("Search pages by title"),
  })
  const results = crel("ul", { className: "page-chooser__results", role: "list" })
  const box = crel("div", { className: "page-chooser" }, [search, results])
  field.append(box)
  let timer = null
  const show = async () => {
    const pages = await searchPages(url, search.value.trim())
    results.replaceChildren(
      ...pages.map((page) => {
        const choose = crel("button", {
          type: "button",
          className: "page-chooser__result",
          textContent: page.visible ? page.title : `${page.title} (${gettext("hidden from visitors")})`,
        })
        choose.dataset.pageId = page.id
        choose.addEventListener("click", () => {
          onChoose(page)
          box.remove()
          input.focus()
        })
        return crel("li", {}, [choose])
      }),
    )
    if (!pages.length) {
      results.append(crel("li", { textContent: gettext("No page has that in its title.") }))
    }
  }
  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(show, 200)
  })
  search.addEventListener("keydown", (e) => {
    // Enter would submit the link dialog; here it searches at once.
    if (e.key === "Enter") {
      e.preventDefault()
      show()
    }
  })
  search.focus()
  show()
}

const linkDialog = (editor, attrs, options) => {
  let pageId = attrs.pageId || null
  let pageHref = pageId ? attrs.href : null
  const properties = {
    href: {
      type: "string",
      title: gettext("Address (https://…, mailto:…, tel:…) or a page on this site"),
      picker: options.chooserUrl
        ? {
            label: gettext("Choose a page…"),
            handler: ({ input }) =>
              openChooser(options.chooserUrl, input, (page) => {
                input.value = page.url
                pageId = String(page.id)
                pageHref = page.url
              }),
          }
        : undefined,
    },
  }
  return updateAttrsDialog(properties, {
    title: gettext("Link"),
    submitText: gettext("Apply"),
  })(editor, attrs).then((result) => {
    if (!result) return null
    const href = result.href.trim()
    // An address typed over a chosen page's is a plain link again.
    return { href, pageId: href === pageHref ? pageId : null }
  })
}

export const PageLink = Link.extend({
  name: "link",

  addOptions() {
    return { ...this.parent?.(), chooserUrl: null }
  },

  addAttributes() {
    return {
      ...this.parent?.(),
      pageId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-page-id"),
        renderHTML: (attributes) =>
          attributes.pageId ? { "data-page-id": attributes.pageId } : {},
      },
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor }) => {
          if (editor.state.selection.empty && !editor.isActive("link")) return false
          linkDialog(editor, editor.getAttributes("link"), this.options).then((attrs) => {
            if (!attrs) return
            if (!attrs.href) {
              editor.chain().focus().extendMarkRange("link").unsetLink().run()
            } else if (editor.isActive("link")) {
              editor.chain().focus().extendMarkRange("link").updateAttributes("link", attrs).run()
            } else {
              editor.chain().focus().setMark("link", attrs).run()
            }
          })
          return true
        },
    }
  },
})
