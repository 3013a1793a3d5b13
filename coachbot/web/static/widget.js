/*! Coachbot chat widget. Embed with:
 *   <script src="https://HOST/widget.js" defer></script>
 * Options (data- attributes on that script tag): data-title, data-subtitle, data-accent,
 * data-position="bottom-right|bottom-left", data-target="#element-id" (inline mode),
 * data-greeting, data-placeholder, data-hint, data-starters="Question one|Question two|...". The STARTERS list and
 * GUIDE below hold the defaults that name the career.
 * Any element with a data-coachbot-open attribute opens the chat when clicked.
 * No dependencies, no build step. Everything renders inside a Shadow DOM, and message text
 * only ever reaches the page through textContent, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript || findOwnScript();
  if (!script || script.getAttribute("data-coachbot-loaded")) return;
  script.setAttribute("data-coachbot-loaded", "1");

  function findOwnScript() {
    var all = document.querySelectorAll("script[src]");
    for (var i = all.length - 1; i >= 0; i--) {
      if (/\/widget\.js(\?|#|$)/.test(all[i].src)) return all[i];
    }
    return null;
  }

  // The API lives where this script came from, so the widget works embedded on any site.
  var API = new URL(script.src, location.href).origin;
  var data = script.dataset;
  // The one place the widget names the guide's career (defaults; each can be set by a data- attribute).
  // The one place the widget names the guide's career: the service writes its guide's names and
  // starter questions between these markers when it serves this file (each can still be set by a
  // data- attribute).
  var GUIDE = /*GUIDE*/{
    subtitle: "Career coach",
    greeting: "Hi! I'm Coachbot, a career coach. Every answer comes from our career guide, with its sources.",
    placeholder: "Ask a question…",
    hint: "Answers come from our career guide."
  }/*END*/;
  var STARTERS = /*STARTERS*/[]/*END*/;
  var opts = {
    title: data.title || "Coachbot",
    subtitle: data.subtitle || GUIDE.subtitle,
    accent: data.accent || "#1a5fb4",
    left: data.position === "bottom-left",
    target: data.target || "",
    greeting: data.greeting || GUIDE.greeting,
    placeholder: data.placeholder || GUIDE.placeholder,
    hint: data.hint || GUIDE.hint,
    starters: data.starters ? data.starters.split("|").map(trim).filter(Boolean).slice(0, 4) : STARTERS
  };

  function trim(s) { return String(s).trim(); }

  /* ---------- storage: localStorage, or memory when the browser refuses ---------- */

  function makeStore(kind) {
    var memory = {};
    var prefix = "coachbot:" + API + ":";
    function area() { try { return window[kind]; } catch (e) { return null; } }
    return {
      get: function (key) {
        try { var a = area(); if (a) return a.getItem(prefix + key); } catch (e) { /* fall through */ }
        return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null;
      },
      set: function (key, value) {
        memory[key] = value;
        try { var a = area(); if (a) a.setItem(prefix + key, value); } catch (e) { /* memory only */ }
      },
      remove: function (key) {
        delete memory[key];
        try { var a = area(); if (a) a.removeItem(prefix + key); } catch (e) { /* memory only */ }
      }
    };
  }
  var store = makeStore("localStorage");
  var session = makeStore("sessionStorage");

  /* ---------- small DOM helpers (text goes in through textContent only) ---------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var name in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, name) || attrs[name] == null || attrs[name] === false) continue;
        if (name === "text") node.textContent = attrs[name];
        else if (name === "on") {
          for (var ev in attrs.on) node.addEventListener(ev, attrs.on[ev]);
        } else node.setAttribute(name, attrs[name] === true ? "" : attrs[name]);
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children == null) return node;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (child) {
      if (child == null || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var SVG = "http://www.w3.org/2000/svg";
  var ICONS = {
    chat: "M21 11.5a8.4 8.4 0 0 1-.9 3.8 8.5 8.5 0 0 1-7.6 4.7 8.4 8.4 0 0 1-3.8-.9L3 21l1.9-5.7a8.4 8.4 0 0 1-.9-3.8 8.5 8.5 0 0 1 4.7-7.6 8.4 8.4 0 0 1 3.8-.9h.5a8.5 8.5 0 0 1 8 8z",
    down: "M6 9l6 6 6-6",
    close: "M6 6l12 12M18 6L6 18",
    plus: "M12 5v14M5 12h14",
    history: "M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5M12 7v5l3 2",
    send: "M5 12h14M13 6l6 6-6 6",
    up: "M7 10v11M7 10l4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.3 8a2 2 0 0 1-2 1.7H7M7 21H4a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1h3",
    thumbDown: "M17 14V3M17 14l-4 8a3 3 0 0 1-3-3v-4H4.5a2 2 0 0 1-2-2.3l1.3-8a2 2 0 0 1 2-1.7H17M17 3h3a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1h-3",
    copy: "M9 9h11v11H9zM5 15H4V4h11v1",
    check: "M20 6L9 17l-5-5",
    trash: "M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6",
    back: "M19 12H5M11 18l-6-6 6-6",
    retry: "M21 4v6h-6M20.5 15a9 9 0 1 1-2.1-9.4L21 10",
    external: "M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5"
  };

  function icon(name) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "icon");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function iconButton(name, label, onClick, extraClass) {
    return el("button", { type: "button", "class": "icon-btn " + (extraClass || ""), "aria-label": label,
      title: label, on: { click: onClick } }, icon(name));
  }

  /* ---------- safe Markdown: paragraphs, lists, **bold**, *italic*, `code`, links, [n] ---------- */

  // Links may go to http(s) addresses or to paths on the service itself; anything else is text.
  function safeUrl(href) {
    href = String(href || "").trim();
    var url;
    try {
      if (/^https?:\/\//i.test(href)) url = new URL(href);
      else if (/^\/(?![\/\\])/.test(href)) {
        url = new URL(href, API);
        if (url.origin !== API) return null;
      } else return null;
    } catch (e) { return null; }
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  }

  // A backslash makes the next mark a plain character (replies escape what people wrote that way);
  // **strong**, __strong__, *em* and _em_ (not inside_words); [n] citations; links; `code`; bare URLs.
  var INLINE = new RegExp([
    "\\\\([!-\\/:-@\\[-`{-~])",
    "\\*\\*((?:\\\\.|[^*\\n])+?)\\*\\*",
    "\\[(\\d{1,2})\\](?!\\()",
    "\\[((?:\\\\.|[^\\[\\]\\n])+)\\]\\(([^()\\s]+)\\)",
    "`([^`\\n]+)`",
    "\\*([^*\\s](?:\\\\.|[^*\\n])*?)\\*",
    "(https?:\\/\\/[^\\s<>()\"'\\\\]*[^\\s<>()\"'.,;:!?\\\\])",
    "(?:^|(?<=[\\s(]))__((?:\\\\.|[^_\\n])+?)__(?![\\w])",
    "(?:^|(?<=[\\s(]))_([^_\\s](?:\\\\.|[^_\\n])*?)_(?![\\w])"
  ].join("|"), "g");

  function renderInline(text, citations, parent) {
    var last = 0, match;
    var re = new RegExp(INLINE.source, "g");
    while ((match = re.exec(text))) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      last = re.lastIndex;
      if (match[1] != null) parent.appendChild(document.createTextNode(match[1]));
      else if (match[2] != null) renderInline(match[2], citations, parent.appendChild(el("strong")));
      else if (match[3] != null) parent.appendChild(citationLink(Number(match[3]), citations, match[0]));
      else if (match[4] != null) {
        var href = safeUrl(match[5]);
        if (href) renderInline(match[4], citations, parent.appendChild(linkTo(href)));
        else renderInline(match[4], citations, parent); // an unsafe link shows its words only
      } else if (match[6] != null) parent.appendChild(el("code", { text: match[6] }));
      else if (match[7] != null) renderInline(match[7], citations, parent.appendChild(el("em")));
      else if (match[8] != null) parent.appendChild(externalLink(match[8], match[8]));
      else if (match[9] != null) renderInline(match[9], citations, parent.appendChild(el("strong")));
      else if (match[10] != null) renderInline(match[10], citations, parent.appendChild(el("em")));
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function externalLink(href, text) {
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: text });
  }

  // A plan's page or file on this service (/plans/<id>?expires=..&signature=..): a signed link that a
  // browser opens without the token. When it has lapsed, a click asks for a fresh one first.
  var PLAN_LINK = /^\/plans\/([0-9a-f]{8,64})(\.md)?\?expires=(\d+)&signature=[0-9a-f]+$/;

  function linkTo(href) {
    var url = new URL(href);
    var plan = url.origin === API ? PLAN_LINK.exec(url.pathname + url.search) : null;
    if (!plan) return externalLink(href);
    var link = el("a", { href: href, target: "_blank", rel: "noopener", "class": "plan-link",
      "data-plan": plan[1], "data-kind": plan[2] ? "markdown" : "page" });
    if (plan[2]) link.setAttribute("download", "");
    link.addEventListener("click", function (event) { openPlanLink(event, link); });
    return link;
  }

  function openPlanLink(event, link) {
    var expires = Number(new URL(link.href).searchParams.get("expires"));
    if (expires * 1000 - Date.now() > 60000) return; // still valid: the browser follows it as usual
    event.preventDefault();
    var kind = link.getAttribute("data-kind");
    var tab = kind === "page" ? window.open("", "_blank") : null; // opened now, while the click counts
    api("POST", "/api/plans/" + encodeURIComponent(link.getAttribute("data-plan")) + "/links", {})
      .then(function (response) { return response.json(); })
      .then(function (links) {
        link.href = API + links[kind];
        if (tab) { tab.opener = null; tab.location.href = link.href; } else link.click();
      })
      .catch(function (err) {
        if (tab) tab.close();
        announce(err instanceof ApiError ? err.message : "Can't reach " + opts.title + ". Try again later.");
      });
  }

  function findCitation(n, citations) {
    for (var i = 0; i < (citations || []).length; i++) if (citations[i].n === n) return citations[i];
    return null;
  }

  function citationLink(n, citations, raw) {
    var c = findCitation(n, citations);
    var href = c && safeUrl(c.url);
    if (!href) return document.createTextNode(raw);
    return el("a", { "class": "cite", href: href, target: "_blank", rel: "noopener noreferrer",
      "aria-label": "Source " + n + ": " + (c.title || "the guide") + " (opens in a new tab)", text: String(n) });
  }

  function renderMarkdown(text, citations) {
    var frag = document.createDocumentFragment();
    var para = null, list = null, item = null;
    function close() { para = null; list = null; item = null; }
    String(text || "").replace(/\r\n?/g, "\n").split("\n").forEach(function (line) {
      var bullet = /^\s{0,3}[-*+]\s+(.*)$/.exec(line);
      var number = /^\s{0,3}(\d{1,3})[.)]\s+(.*)$/.exec(line);
      var heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (!line.trim()) { close(); return; }
      if (bullet || number) {
        var tag = bullet ? "ul" : "ol";
        if (!list || list.tagName.toLowerCase() !== tag) {
          list = frag.appendChild(el(tag, number && number[1] !== "1" ? { start: number[1] } : null));
        }
        para = null;
        item = renderInline(bullet ? bullet[1] : number[2], citations, list.appendChild(el("li")));
      } else if (heading) {
        close();
        renderInline(heading[1], citations, frag.appendChild(el("p", { "class": "heading" })));
      } else if (item && /^\s+\S/.test(line)) {
        item.appendChild(document.createTextNode(" "));
        renderInline(line.trim(), citations, item);
      } else {
        list = null; item = null;
        if (para) para.appendChild(el("br"));
        else para = frag.appendChild(el("p"));
        renderInline(line, citations, para);
      }
    });
    return frag;
  }

  // What a screen reader hears, and what "copy" takes: the words without Markdown marks.
  function plainText(text) {
    return String(text || "").replace(/\*\*([^*]+)\*\*/g, "$1").replace(/(^|\s)__?([^_\n]+?)__?(?!\w)/g, "$1$2")
      .replace(/\[(\d{1,2})\](?!\()/g, "").replace(/\\([!-\/:-@\[-`{-~])/g, "$1")
      .replace(/\[([^\]]+)\]\([^)]+\)/g, "$1").replace(/`([^`]+)`/g, "$1").replace(/^\s{0,3}(?:[-*+]|#{1,6})\s+/gm, "")
      .replace(/[ \t]+\n/g, "\n").trim();
  }

  /* ---------- colours: readable text on the accent, whatever the host picks ---------- */

  function parseColour(value) {
    var probe = el("span");
    probe.style.color = "rgb(1, 2, 3)";
    probe.style.color = value;
    if (probe.style.color === "rgb(1, 2, 3)" && value !== "rgb(1, 2, 3)") return null;
    document.documentElement.appendChild(probe);
    var rgb = getComputedStyle(probe).color.match(/[\d.]+/g);
    probe.remove();
    return rgb ? rgb.slice(0, 3).map(Number) : null;
  }

  function luminance(rgb) {
    var c = rgb.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function contrast(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }

  function accentColours(value) {
    var rgb = parseColour(value) || parseColour("#1a5fb4");
    var css = "rgb(" + rgb.join(", ") + ")";
    var onAccent = contrast(rgb, [255, 255, 255]) >= 4.5 ? "#ffffff" : "#111418";
    // The accent marks focus and chips on the panel's own background only when readable there.
    var light = contrast(rgb, [255, 255, 255]) >= 4.5 ? css : "#0b57d0";
    var dark = contrast(rgb, [27, 29, 33]) >= 4.5 ? css : "#8ab4f8";
    return { accent: css, onAccent: onAccent, light: light, dark: dark };
  }

  /* ---------- the stylesheet (px units: the host page's rem or font sizes cannot reach in) ---------- */

  function stylesheet(colours) {
    return [
      ":host{all:initial !important;display:block !important;visibility:visible !important;}",
      ":host([data-inline]){height:100% !important;min-height:480px !important;}",
      ".cb{all:initial;display:block;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;",
      "font-size:15px;line-height:1.5;font-weight:400;color:var(--fg);text-align:left;letter-spacing:normal;word-spacing:normal;",
      "text-transform:none;-webkit-text-size-adjust:100%;text-size-adjust:100%;",
      "--accent:" + colours.accent + ";--on-accent:" + colours.onAccent + ";--link:" + colours.light + ";",
      "--bg:#ffffff;--log:#f6f7f9;--fg:#1f2328;--muted:#57606a;--bubble:#ffffff;--border:#d0d7de;--chip-bg:#ffffff;",
      "--notice-bg:#fff8c5;--notice-fg:#3b2e00;--error-bg:#ffebe9;--error-fg:#82071e;--shadow:0 12px 40px rgba(0,0,0,.22);}",
      "@media (prefers-color-scheme:dark){.cb{--link:" + colours.dark + ";--bg:#1b1d21;--log:#131417;--fg:#e6e8eb;",
      "--muted:#a9b1ba;--bubble:#25282e;--border:#3b4048;--chip-bg:#1b1d21;--notice-bg:#3b3000;--notice-fg:#f5e6a8;",
      "--error-bg:#4a1418;--error-fg:#ffd7d5;--shadow:0 12px 40px rgba(0,0,0,.6);}}",
      ".cb *,.cb *::before,.cb *::after{box-sizing:border-box;}",
      ".cb [hidden]{display:none !important;}",
      // :where() keeps these resets weaker than any class below.
      ":where(.cb) button,:where(.cb) textarea{font:inherit;color:inherit;letter-spacing:inherit;margin:0;}",
      ":where(.cb) button{cursor:pointer;background:none;border:0;padding:0;}",
      ".cb button:disabled{cursor:not-allowed;opacity:.55;}",
      ".cb :focus{outline:none;}",
      ".cb :focus-visible{outline:3px solid var(--link);outline-offset:2px;}",
      ".sr-only{position:absolute !important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0;}",
      ".icon{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;flex:none;}",
      // Launcher and panel.
      ".launcher{position:fixed;bottom:calc(20px + var(--lift,0px));" + (opts.left ? "left" : "right") + ":20px;z-index:2147483000;width:60px;height:60px;",
      "border-radius:50%;background:var(--accent) !important;color:var(--on-accent) !important;display:flex;align-items:center;",
      "justify-content:center;box-shadow:0 6px 20px rgba(0,0,0,.28);transition:transform .15s ease;}",
      ".launcher:hover{transform:scale(1.06);}",
      ".launcher .icon{width:28px;height:28px;}",
      ".launcher:focus-visible{outline:3px solid var(--link);outline-offset:3px;}",
      ".panel{position:fixed;bottom:92px;" + (opts.left ? "left" : "right") + ":20px;z-index:2147483001;width:400px;",
      "height:min(660px,calc(100vh - 112px));min-height:320px;display:flex;flex-direction:column;overflow:hidden;",
      "background:var(--bg);color:var(--fg);border:1px solid var(--border);border-radius:16px;box-shadow:var(--shadow);",
      "animation:cb-in .18s ease-out;}",
      ".cb.inline{height:100%;}",
      ".inline .panel{position:relative;bottom:auto;left:auto;right:auto;width:100%;height:100%;min-height:480px;",
      "box-shadow:none;animation:none;z-index:auto;}",
      "@keyframes cb-in{from{opacity:0;transform:translateY(12px);}to{opacity:1;transform:none;}}",
      "@media (max-width:639.98px){.launcher{width:52px;height:52px;bottom:calc(12px + var(--lift,0px));" + (opts.left ? "left" : "right") + ":12px;}",
      ".floating .panel{inset:0;width:100%;height:100%;max-height:none;min-height:0;",
      "border-radius:0;border:0;}.floating.open .launcher{display:none;}}",
      // Header.
      ".header{display:flex;align-items:center;gap:10px;padding:12px 10px 12px 16px;background:var(--accent);color:var(--on-accent);flex:none;}",
      ".avatar{width:36px;height:36px;border-radius:50%;display:flex;align-items:center;justify-content:center;flex:none;",
      "border:2px solid currentColor;}",
      ".avatar .icon{width:20px;height:20px;}",
      ".titles{flex:1;min-width:0;}",
      ".title{margin:0;font-size:16px;font-weight:650;line-height:1.25;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;}",
      ".subtitle{margin:0;font-size:12.5px;line-height:1.3;}",
      ".header .icon-btn{color:var(--on-accent);}",
      ".header .icon-btn:hover{background:rgba(127,127,127,.25);}",
      ".header :focus-visible{outline-color:var(--on-accent);outline-offset:-1px;}",
      ".icon-btn{width:36px;height:36px;border-radius:8px;display:inline-flex;align-items:center;justify-content:center;flex:none;}",
      // The conversation.
      ".log{order:2;flex:1;overflow-y:auto;padding:16px 14px 8px;background:var(--log);display:flex;flex-direction:column;gap:12px;",
      "overscroll-behavior:contain;position:relative;}",
      ".msg{max-width:92%;padding:10px 14px;border-radius:16px;overflow-wrap:anywhere;}",
      ".msg.bot{align-self:flex-start;background:var(--bubble);border:1px solid var(--border);border-bottom-left-radius:4px;}",
      ".msg.user{align-self:flex-end;max-width:85%;background:var(--accent);color:var(--on-accent);border-bottom-right-radius:4px;white-space:pre-wrap;}",
      ".msg p{margin:0 0 8px;}.msg p:last-child{margin-bottom:0;}",
      ".msg .heading{font-weight:650;}",
      ".msg ul,.msg ol{margin:0 0 8px;padding-left:22px;}.msg li{margin:2px 0;}",
      ".msg ul:last-child,.msg ol:last-child{margin-bottom:0;}",
      ".msg a{color:var(--link);text-decoration:underline;text-underline-offset:2px;}",
      ".msg code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;background:var(--log);padding:1px 4px;border-radius:4px;}",
      ".msg a.cite{display:inline-block;min-width:18px;padding:0 5px;margin:0 1px;border-radius:9px;font-size:11.5px;",
      "font-weight:650;line-height:18px;text-align:center;text-decoration:none;vertical-align:2px;",
      "color:var(--link);border:1px solid currentColor;}",
      ".msg a.cite:hover{text-decoration:underline;}",
      ".msg a.plan-link{font-weight:600;}",
      ".notice{margin:0 0 8px;padding:6px 10px;border-radius:8px;background:var(--notice-bg);color:var(--notice-fg);font-size:13.5px;}",
      ".sources{margin:10px 0 0;padding:8px 0 0;border-top:1px solid var(--border);}",
      ".sources-title{margin:0 0 4px;font-size:12px;font-weight:650;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);}",
      ".sources ol{list-style:none;margin:0;padding:0;}",
      ".sources li{margin:6px 0 0;display:grid;grid-template-columns:22px 1fr;column-gap:4px;font-size:13.5px;line-height:1.4;}",
      ".src-n{grid-row:span 2;font-size:11.5px;font-weight:650;color:var(--link);border:1px solid currentColor;",
      "border-radius:9px;height:18px;text-align:center;line-height:16px;margin-top:1px;}",
      ".sources a{font-weight:600;}",
      ".quote{margin:2px 0 0;color:var(--muted);font-size:13px;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden;}",
      ".actions{display:flex;gap:2px;margin:6px 0 0 -6px;align-items:center;}",
      ".actions .icon-btn{width:32px;height:32px;color:var(--muted);}",
      ".actions .icon-btn .icon{width:17px;height:17px;}",
      ".actions .icon-btn:hover{background:var(--log);color:var(--fg);}",
      ".actions .icon-btn[aria-pressed=true]{color:var(--link);background:var(--log);}",
      ".actions .status{font-size:12.5px;color:var(--muted);margin-left:4px;}",
      ".chips{display:flex;flex-wrap:wrap;gap:8px;align-self:flex-start;max-width:100%;}",
      ".chips-label{width:100%;margin:0;font-size:12.5px;color:var(--muted);}",
      ".chip{padding:7px 14px;border-radius:18px;border:1px solid var(--link) !important;color:var(--link) !important;",
      "background:var(--chip-bg);background:color-mix(in srgb,var(--link) 7%,var(--chip-bg));font-size:13.5px;",
      "line-height:1.35;text-align:left;}",
      ".chip:hover{background:color-mix(in srgb,var(--link) 16%,var(--chip-bg));}",
      ".msg.error{background:var(--error-bg);color:var(--error-fg);border-color:transparent;}",
      ".error-actions{margin-top:8px;}",
      ".btn{display:inline-flex;align-items:center;gap:6px;padding:6px 12px;border-radius:8px;font-size:14px;font-weight:600;",
      "border:1px solid currentColor !important;}",
      ".btn .icon{width:16px;height:16px;}",
      ".btn.primary{background:var(--accent) !important;color:var(--on-accent) !important;border-color:transparent !important;}",
      ".typing{display:flex;gap:5px;align-items:center;padding:14px 16px;}",
      ".typing span.dot{width:7px;height:7px;border-radius:50%;background:var(--muted);animation:cb-bounce 1.2s infinite ease-in-out;}",
      ".typing span.dot:nth-child(2){animation-delay:.15s;}.typing span.dot:nth-child(3){animation-delay:.3s;}",
      "@keyframes cb-bounce{0%,60%,100%{transform:translateY(0);opacity:.5;}30%{transform:translateY(-5px);opacity:1;}}",
      // The composer.
      // The composer comes right after the header in the focus order (Shift+Tab from the input reaches the
      // header at once) and sits at the bottom on screen.
      ".composer{flex:none;order:3;border-top:1px solid var(--border);padding:10px 12px 8px;background:var(--bg);}",
      ".row{display:flex;gap:8px;align-items:flex-end;}",
      ".input{flex:1;min-height:44px;max-height:132px;resize:none;padding:10px 12px;border:1px solid var(--border) !important;",
      "border-radius:12px;background:var(--bg) !important;color:var(--fg) !important;font-size:15px;line-height:1.45;overflow-y:auto;}",
      ".input::placeholder{color:var(--muted);opacity:1;}",
      ".input:focus-visible{outline:2px solid var(--link);outline-offset:0;border-color:var(--link) !important;}",
      ".send{width:44px;height:44px;border-radius:12px;background:var(--accent) !important;color:var(--on-accent) !important;",
      "display:flex;align-items:center;justify-content:center;flex:none;}",
      ".hint{margin:6px 2px 0;font-size:12px;line-height:1.35;color:var(--muted);}",
      "@media (pointer:coarse){.hint-keys{display:none;}.input{font-size:16px;}}",
      // Past conversations.
      ".history{order:2;flex:1;overflow-y:auto;padding:12px 14px;background:var(--log);}",
      ".history h3{margin:0 0 10px;font-size:15px;font-weight:650;}",
      ".history ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px;}",
      ".conv{display:flex;align-items:center;gap:4px;background:var(--bubble);border:1px solid var(--border);border-radius:12px;padding:4px;}",
      ".conv.current{border-color:var(--link);}",
      ".conv-open{flex:1;min-width:0;text-align:left;padding:8px 10px;border-radius:8px;}",
      ".conv-open:hover{background:var(--log);}",
      ".conv-title{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;font-weight:600;",
      "line-height:1.35;overflow-wrap:anywhere;}",
      ".conv-date{display:block;font-size:12.5px;color:var(--muted);}",
      ".conv .icon-btn{color:var(--muted);}",
      ".conv .icon-btn:hover{color:var(--error-fg);background:var(--error-bg);}",
      ".confirm{display:flex;gap:6px;align-items:center;padding:4px 6px;font-size:13.5px;flex-wrap:wrap;}",
      ".empty{color:var(--muted);margin:8px 0;}",
      "@media (prefers-reduced-motion:reduce){.cb *,.cb *::before,.cb *::after{animation:none !important;",
      "transition:none !important;}}"
    ].join("\n");
  }

  /* ---------- build the widget ---------- */

  var inlineTarget = opts.target ? document.querySelector(opts.target) : null;
  var inline = !!inlineTarget;
  var host = document.createElement("coachbot-widget");
  if (inline) host.setAttribute("data-inline", "");
  var shadow = host.attachShadow({ mode: "open" });
  var css = stylesheet(accentColours(opts.accent));
  // A constructed stylesheet is not an inline <style>, so a host page's CSP does not block it.
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } catch (e) {
    shadow.appendChild(el("style", { text: css }));
  }

  var ids = { title: "cb-title", input: "cb-input", hint: "cb-hint", panel: "cb-panel" };
  var root = el("div", { "class": "cb " + (inline ? "inline open" : "floating"), "data-coachbot": "" });
  var live = el("div", { "class": "sr-only", "aria-live": "polite", "aria-atomic": "true" });
  var launcher = inline ? null : el("button", {
    type: "button", "class": "launcher", "aria-label": "Open chat: " + opts.title,
    "aria-expanded": "false", "aria-controls": ids.panel, on: { click: toggle }
  }, icon("chat"));

  var backButton = iconButton("back", "Back to the chat", showChat);
  var historyButton = iconButton("history", "Past conversations", showHistory);
  var newButton = iconButton("plus", "New conversation", newConversation);
  var closeButton = inline ? null : iconButton("close", "Close chat", close);
  backButton.hidden = true;

  var header = el("div", { "class": "header" }, [
    el("div", { "class": "avatar", "aria-hidden": "true" }, icon("chat")),
    el("div", { "class": "titles" }, [
      el("h2", { "class": "title", id: ids.title, text: opts.title }),
      el("p", { "class": "subtitle", text: opts.subtitle })
    ]),
    backButton, historyButton, newButton, closeButton
  ]);

  var log = el("div", { "class": "log", "aria-label": "Conversation", role: "region", tabindex: "-1" });
  var input = el("textarea", {
    "class": "input", id: ids.input, rows: "1", placeholder: opts.placeholder,
    "aria-describedby": ids.hint, maxlength: "4000", autocomplete: "off",
    on: { keydown: onInputKey, input: autoGrow }
  });
  var sendButton = el("button", { type: "submit", "class": "send", "aria-label": "Send" }, icon("send"));
  var form = el("form", { "class": "composer", on: { submit: onSubmit } }, [
    el("label", { "class": "sr-only", "for": ids.input, text: "Your question for " + opts.title }),
    el("div", { "class": "row" }, [input, sendButton]),
    el("p", { "class": "hint", id: ids.hint }, [opts.hint,
      el("span", { "class": "hint-keys", text: " Enter sends, Shift+Enter adds a line." })])
  ]);
  var historyView = el("div", { "class": "history", role: "region", "aria-label": "Past conversations", hidden: true });

  var panel = el("div", {
    "class": "panel", id: ids.panel, role: inline ? "region" : "dialog", "aria-labelledby": ids.title,
    hidden: !inline
  }, [header, form, log, historyView]);

  append(root, [live, panel, launcher]);
  root.addEventListener("keydown", onPanelKey);
  shadow.appendChild(root);
  (inline ? inlineTarget : document.body).appendChild(host);

  /* ---------- state ---------- */

  var state = {
    open: inline,
    loaded: false, // the stored conversation has been fetched (or there was none)
    busy: false,
    controller: null,
    retryTimer: null
  };

  function conversationId() { return store.get("conversation"); }
  function setConversationId(id) { if (id) store.set("conversation", id); else store.remove("conversation"); }

  /* ---------- open, close, views ---------- */

  function toggle() { if (state.open) close(); else open(true); }

  function open(focus) {
    if (inline) return;
    state.open = true;
    panel.hidden = false;
    root.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Close chat: " + opts.title);
    launcher.replaceChildren(icon("down"));
    session.set("open", "1");
    ensureLoaded();
    if (focus) (form.hidden ? historyView.querySelector("h3") || closeButton : input).focus();
  }

  function close() {
    if (inline || !state.open) return;
    state.open = false;
    panel.hidden = true;
    root.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Open chat: " + opts.title);
    launcher.replaceChildren(icon("chat"));
    session.remove("open");
    launcher.focus();
  }

  // Escape steps back one level: a delete question, then the list of conversations, then the panel.
  function onPanelKey(event) {
    if (event.key !== "Escape") return;
    var confirmBox = historyView.hidden ? null : historyView.querySelector(".confirm");
    if (confirmBox) {
      confirmBox.querySelector(".btn:not(.primary)").click();
    } else if (!historyView.hidden) {
      showChat();
    } else if (!inline) {
      close();
    } else return;
    event.preventDefault();
    event.stopPropagation();
  }

  function showChat() {
    historyView.hidden = true;
    log.hidden = false;
    form.hidden = false;
    backButton.hidden = true;
    historyButton.hidden = false;
    input.focus();
  }

  function announce(text) {
    live.textContent = "";
    // A fresh node after a pause makes screen readers read the same words again.
    setTimeout(function () { live.textContent = text; }, 60);
  }

  function scrollToEnd(force) {
    var nearEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 120;
    if (force || nearEnd) log.scrollTop = log.scrollHeight;
  }

  // A restored conversation opens where the last answer starts (its question above it), not at the
  // bottom of a long answer's sources: people read from the top.
  function showLastAnswer() {
    var answers = log.querySelectorAll(".msg.answer");
    var last = answers[answers.length - 1];
    if (!last) { scrollToEnd(true); return; }
    var question = last.previousElementSibling;
    var top = question && question.classList.contains("user") ? question : last;
    log.scrollTop = Math.max(0, top.offsetTop - 12);
  }

  // Follow a growing answer, but never past the question it answers: people read from the top.
  function followAnswer(question) {
    var end = log.scrollHeight - log.clientHeight;
    var questionTop = question ? question.offsetTop - 12 : end;
    log.scrollTop = Math.max(0, Math.min(end, questionTop));
  }

  /* ---------- talking to the API ---------- */

  function ApiError(status, code, message, retryAfter) {
    this.status = status; this.code = code; this.message = message; this.retryAfter = retryAfter;
  }

  async function errorFrom(response) {
    var body = null;
    try { body = await response.json(); } catch (e) { /* not JSON */ }
    var err = (body && body.error) || {};
    var wait = parseInt(response.headers.get("Retry-After") || "", 10);
    return new ApiError(response.status, err.code || "http_" + response.status,
      err.message || "The service answered with an error (" + response.status + ").", isNaN(wait) ? null : wait);
  }

  async function newUser() {
    var response = await fetch(API + "/api/users", { method: "POST", headers: { Accept: "application/json" } });
    if (!response.ok) throw await errorFrom(response);
    var body = await response.json();
    store.set("token", body.token);
    setConversationId(null);
    return body.token;
  }

  async function token() { return store.get("token") || newUser(); }

  // One call with the stored token; a 401 (token revoked or from an old database) makes a new user once.
  async function api(method, path, body, extra) {
    for (var attempt = 0; attempt < 2; attempt++) {
      var headers = { Authorization: "Bearer " + (await token()), Accept: "application/json" };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      for (var k in (extra && extra.headers) || {}) headers[k] = extra.headers[k];
      var response = await fetch(API + path, {
        method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body),
        signal: extra && extra.signal
      });
      if (response.status === 401 && attempt === 0) {
        store.remove("token");
        setConversationId(null);
        if (extra && extra.onNewUser) extra.onNewUser();
        continue;
      }
      if (!response.ok) throw await errorFrom(response);
      return response;
    }
  }

  /* ---------- rendering messages ---------- */

  function greeting() {
    var bubble = el("div", { "class": "msg bot greeting" }, renderMarkdown(opts.greeting, []));
    log.appendChild(bubble);
    return bubble;
  }

  function starterChips() {
    if (!opts.starters.length) return;
    showChips(opts.starters, "Try asking:");
  }

  function removeChips() {
    log.querySelectorAll(".chips").forEach(function (node) { node.remove(); });
  }

  function sameWords(text) {
    return String(text || "").toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, " ").replace(/\s+/g, " ").trim();
  }

  // What the person already asked or answered here: never offered again as a chip.
  function alreadySaid() {
    var said = {};
    log.querySelectorAll(".msg.user").forEach(function (node) {
      said[sameWords(node.getAttribute("data-text") || "")] = true;
    });
    return said;
  }

  function showChips(questions, label) {
    removeChips();
    var said = alreadySaid();
    // Only questions are filtered: an answer chip such as "Skip" may fit again.
    questions = (questions || []).filter(function (q) { return !/\?\s*$/.test(q) || !said[sameWords(q)]; });
    if (!questions.length) return;
    // Chips that are not questions are answers to the coach's own question ("Skip", "10 hours a week").
    var answers = !label && !questions.some(function (q) { return /\?\s*$/.test(q); });
    label = label || (answers ? "Quick answers:" : "You could also ask:");
    var group = el("div", { "class": "chips", role: "group", "aria-label": answers ? "Quick answers" :
      label === "You could also ask:" ? "Suggested questions" : label });
    group.appendChild(el("p", { "class": "chips-label", "aria-hidden": "true", text: label }));
    questions.slice(0, 4).forEach(function (question) {
      group.appendChild(el("button", { type: "button", "class": "chip", text: question,
        on: { click: function () { send(question); } } }));
    });
    log.appendChild(group);
  }

  function userBubble(text) {
    var bubble = el("div", { "class": "msg user", "data-text": text }, [el("span", { "class": "sr-only", text: "You said: " }), text]);
    log.appendChild(bubble);
    return bubble;
  }

  function typingBubble() {
    var bubble = el("div", { "class": "msg bot typing" }, [
      el("span", { "class": "dot", "aria-hidden": "true" }), el("span", { "class": "dot", "aria-hidden": "true" }),
      el("span", { "class": "dot", "aria-hidden": "true" }), el("span", { "class": "sr-only", text: opts.title + " is writing…" })
    ]);
    log.appendChild(bubble);
    return bubble;
  }

  // An answer bubble: text (streamed, then final), sources, feedback and copy.
  function answerBubble(question) {
    var content = el("div", { "class": "content" });
    var bubble = el("div", { "class": "msg bot answer", "aria-busy": "true" }, [
      el("span", { "class": "sr-only", text: opts.title + " said: " }), content
    ]);
    log.appendChild(bubble);
    return { bubble: bubble, content: content, text: "", citations: [], frame: 0, question: question || null };
  }

  function drawStreaming(answer) {
    if (answer.frame) return;
    answer.frame = requestAnimationFrame(function () {
      answer.frame = 0;
      answer.content.replaceChildren(renderMarkdown(answer.text, answer.citations));
      followAnswer(answer.question);
    });
  }

  function finishAnswer(answer, message, announceIt) {
    if (answer.frame) cancelAnimationFrame(answer.frame);
    answer.frame = 0;
    answer.text = message.content != null ? message.content : message.answer || "";
    answer.citations = message.citations || [];
    var children = [];
    if (message.notice) children.push(el("p", { "class": "notice", text: message.notice }));
    children.push(renderMarkdown(answer.text, answer.citations));
    answer.content.replaceChildren.apply(answer.content, children);
    answer.bubble.removeAttribute("aria-busy");
    if (answer.citations.length) answer.bubble.appendChild(sourcesList(answer.citations));
    if (message.id || message.message_id) answer.bubble.appendChild(actions(message.id || message.message_id, answer));
    if (announceIt) {
      announce(opts.title + " said: " + (message.notice ? message.notice + " " : "") + plainText(answer.text));
    }
  }

  function sourcesList(citations) {
    var list = el("ol");
    citations.forEach(function (c) {
      var href = safeUrl(c.url);
      list.appendChild(el("li", null, [
        el("span", { "class": "src-n", "aria-hidden": "true", text: String(c.n) }),
        href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer",
          "aria-label": "Source " + c.n + ": " + c.title + " (opens in a new tab)", text: c.title })
          : el("span", { text: c.title }),
        c.quote ? el("p", { "class": "quote", text: "“" + c.quote + "”" }) : null
      ]));
    });
    return el("div", { "class": "sources" }, [el("p", { "class": "sources-title", text: "Sources" }), list]);
  }

  function actions(messageId, answer) {
    var status = el("span", { "class": "status", role: "status" });
    var up = iconButton("up", "Helpful answer", function () { rate("up"); });
    var down = iconButton("thumbDown", "Not helpful", function () { rate("down"); });
    var copy = iconButton("copy", "Copy answer", copyAnswer);
    up.setAttribute("aria-pressed", "false");
    down.setAttribute("aria-pressed", "false");

    async function rate(rating) {
      up.setAttribute("aria-pressed", String(rating === "up"));
      down.setAttribute("aria-pressed", String(rating === "down"));
      status.textContent = "Sending…";
      try {
        await api("POST", "/api/messages/" + encodeURIComponent(messageId) + "/feedback", { rating: rating });
        status.textContent = "Thanks for your feedback.";
      } catch (e) {
        up.setAttribute("aria-pressed", "false");
        down.setAttribute("aria-pressed", "false");
        status.textContent = e instanceof ApiError ? "Feedback not sent: " + e.message : "Feedback not sent: no connection.";
      }
    }

    async function copyAnswer() {
      var text = plainText(answer.text);
      if (answer.citations.length) {
        text += "\n\nSources:\n" + answer.citations.map(function (c) {
          return "[" + c.n + "] " + c.title + " " + (safeUrl(c.url) || "");
        }).join("\n");
      }
      var done = false;
      try { await navigator.clipboard.writeText(text); done = true; } catch (e) { done = copyFallback(text); }
      status.textContent = done ? "Answer copied." : "Could not copy; select the text instead.";
      if (done) {
        copy.replaceChildren(icon("check"));
        setTimeout(function () { copy.replaceChildren(icon("copy")); }, 1500);
      }
    }

    return el("div", { "class": "actions" }, [up, down, copy, status]);
  }

  function copyFallback(text) {
    var area = el("textarea", { "class": "sr-only", "aria-hidden": "true", tabindex: "-1" });
    area.value = text;
    root.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    input.focus();
    return ok;
  }

  function errorBubble(err, retry) {
    var text, waitFor = 0;
    if (err instanceof ApiError && err.status === 429) {
      waitFor = Math.max(1, err.retryAfter || 10);
      text = "You're asking faster than " + opts.title + " can answer. Please wait " + waitFor + " seconds, then try again.";
    } else if (err instanceof ApiError) {
      text = err.message;
    } else {
      text = "Can't reach " + opts.title + ". Check your internet connection, then try again.";
    }
    var message = el("p", { text: text });
    var retryButton = el("button", { type: "button", "class": "btn", on: { click: function () {
      bubble.remove();
      retry();
    } } }, [icon("retry"), "Try again"]);
    var bubble = el("div", { "class": "msg bot error", "data-kind": err instanceof ApiError ? "http-" + err.status : "network" },
      [message, el("div", { "class": "error-actions" }, retryButton)]);
    log.appendChild(bubble);
    announce(text);
    if (waitFor) {
      retryButton.disabled = true;
      var left = waitFor;
      clearInterval(state.retryTimer);
      state.retryTimer = setInterval(function () {
        left -= 1;
        if (left > 0) {
          message.textContent = "You're asking faster than " + opts.title + " can answer. Please wait " + left +
            (left === 1 ? " second." : " seconds.");
        } else {
          clearInterval(state.retryTimer);
          message.textContent = "You can ask again now.";
          retryButton.disabled = false;
        }
      }, 1000);
    }
    scrollToEnd(true);
    return bubble;
  }

  function setBusy(busy) {
    state.busy = busy;
    sendButton.disabled = busy;
    sendButton.setAttribute("aria-label", busy ? "Sending…" : "Send");
  }

  /* ---------- asking ---------- */

  function onInputKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send(input.value);
    }
  }

  function onSubmit(event) {
    event.preventDefault();
    send(input.value);
  }

  function autoGrow() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 2, 132) + "px";
  }

  function send(text) {
    text = String(text || "").trim();
    if (!text || state.busy) return;
    removeChips();
    log.querySelectorAll(".msg.error").forEach(function (node) { node.remove(); });
    var question = userBubble(text);
    input.value = "";
    autoGrow();
    if (!historyView.hidden) showChat();
    input.focus();
    ask(text, question);
  }

  async function ask(text, question) {
    setBusy(true);
    var typing = typingBubble();
    scrollToEnd(true);
    var controller = new AbortController();
    state.controller = controller;
    var answer = null;
    var finished = false;
    function retry() { ask(text, question); }
    try {
      var response = await chatRequest(text, controller.signal);
      if ((response.headers.get("Content-Type") || "").indexOf("text/event-stream") === -1) {
        var whole = await response.json(); // a server that ignores Accept still answers
        typing.remove();
        answer = answerBubble(question);
        setConversationId(whole.conversation_id);
        finishAnswer(answer, whole, true);
        showChips(whole.suggestions);
        finished = true;
      } else {
        await readEvents(response, function (name, body) {
          if (name === "meta") {
            if (body.conversation_id) setConversationId(body.conversation_id);
          } else if (name === "delta") {
            if (!answer) { typing.remove(); answer = answerBubble(question); }
            answer.text += body.text || "";
            drawStreaming(answer);
          } else if (name === "done") {
            typing.remove();
            if (!answer) answer = answerBubble(question);
            if (body.conversation_id) setConversationId(body.conversation_id);
            // The server's final text wins over the streamed one (its guard may have changed it).
            finishAnswer(answer, body, true);
            showChips(body.suggestions);
            finished = true;
          } else if (name === "error") {
            throw new ApiError(200, (body.error && body.error.code) || "stream_failed",
              (body.error && body.error.message) || "The answer could not be finished; try again.", null);
          }
        });
        if (!finished) throw new TypeError("stream ended early");
      }
    } catch (err) {
      typing.remove();
      if (controller.signal.aborted) return;
      if (answer && !finished) answer.bubble.remove();
      errorBubble(err, retry);
    } finally {
      if (state.controller === controller) {
        state.controller = null;
        setBusy(false);
      }
      if (finished) followAnswer(question);
    }
  }

  async function chatRequest(text, signal) {
    var body = { message: text, conversation_id: conversationId() };
    try {
      return await api("POST", "/api/chat", body, { signal: signal, headers: { Accept: "text/event-stream" },
        onNewUser: function () { body.conversation_id = null; } });
    } catch (err) {
      // The stored conversation is gone (deleted elsewhere): carry on in a new one.
      if (err instanceof ApiError && err.status === 404 && body.conversation_id) {
        setConversationId(null);
        body.conversation_id = null;
        return api("POST", "/api/chat", body, { signal: signal, headers: { Accept: "text/event-stream" } });
      }
      throw err;
    }
  }

  // Server-Sent Events over fetch (EventSource cannot POST): blocks split by a blank line.
  async function readEvents(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    function dispatch(block) {
      var name = "message", lines = [];
      block.split(/\r\n|\r|\n/).forEach(function (line) {
        if (line.indexOf("event:") === 0) name = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) lines.push(line.slice(5).replace(/^ /, ""));
      });
      if (!lines.length) return;
      var body;
      try { body = JSON.parse(lines.join("\n")); } catch (e) { return; }
      onEvent(name, body);
    }
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      var blocks = buffer.split(/\r\n\r\n|\n\n|\r\r/);
      buffer = blocks.pop();
      blocks.forEach(dispatch);
    }
    buffer += decoder.decode();
    if (buffer.trim()) dispatch(buffer);
  }

  /* ---------- conversations: restore, start anew, list, reopen, delete ---------- */

  function resetLog() {
    clearInterval(state.retryTimer);
    if (state.controller) state.controller.abort();
    state.controller = null;
    setBusy(false);
    log.replaceChildren();
    greeting();
  }

  function newConversation() {
    setConversationId(null);
    resetLog();
    starterChips();
    state.loaded = true;
    showChat();
    announce("New conversation started.");
  }

  function ensureLoaded() {
    if (state.loaded) return;
    state.loaded = true;
    var id = conversationId();
    if (!id || !store.get("token")) {
      resetLog();
      starterChips();
      return;
    }
    loadConversation(id, false);
  }

  async function loadConversation(id, announceIt) {
    resetLog();
    var loading = el("p", { "class": "empty", role: "status", text: "Loading your conversation…" });
    log.appendChild(loading);
    try {
      var response = await api("GET", "/api/conversations/" + encodeURIComponent(id));
      var conversation = await response.json();
      loading.remove();
      setConversationId(conversation.id);
      var lastSuggestions = null;
      conversation.messages.forEach(function (message) {
        if (message.role === "user") userBubble(message.content);
        else if (message.role === "assistant") {
          finishAnswer(answerBubble(), message, false);
          lastSuggestions = message.suggestions || null;
        }
      });
      if (!conversation.messages.length) starterChips();
      else if (lastSuggestions) showChips(lastSuggestions);
      if (announceIt) announce("Opened the conversation " + (conversation.title || "") + ".");
      showLastAnswer();
    } catch (err) {
      loading.remove();
      if (err instanceof ApiError && err.status === 404) {
        setConversationId(null);
        starterChips();
      } else {
        errorBubble(err, function () { loadConversation(id, announceIt); });
      }
    }
  }

  function whenText(iso) {
    if (!iso) return "";
    // Stored times are UTC; a time without an offset is read as UTC, then shown in local time.
    var date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + "Z");
    if (isNaN(date.getTime())) return "";
    try {
      return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    } catch (e) { return date.toLocaleString(); }
  }

  async function showHistory() {
    log.hidden = true;
    form.hidden = true;
    historyView.hidden = false;
    backButton.hidden = false;
    historyButton.hidden = true;
    var heading = el("h3", { tabindex: "-1", text: "Your conversations" });
    var status = el("p", { "class": "empty", role: "status", text: "Loading…" });
    historyView.replaceChildren(heading, status);
    heading.focus();
    try {
      var response = await api("GET", "/api/conversations");
      var list = (await response.json()).conversations || [];
      status.textContent = list.length ? list.length + (list.length === 1 ? " conversation." : " conversations.")
        : "No saved conversations yet. Ask a question to start one.";
      if (list.length) status.className = "sr-only";
      var ul = el("ul");
      list.forEach(function (c) { ul.appendChild(historyItem(c)); });
      historyView.appendChild(ul);
    } catch (err) {
      status.textContent = err instanceof ApiError ? err.message : "Can't reach " + opts.title + ". Try again later.";
    }
  }

  function historyItem(c) {
    var title = c.title || "Untitled conversation";
    var row = el("li", { "class": "conv" + (c.id === conversationId() ? " current" : "") });
    var openButton = el("button", { type: "button", "class": "conv-open", on: { click: function () {
      setConversationId(c.id);
      state.loaded = true;
      showChat();
      loadConversation(c.id, true);
    } } }, [
      el("span", { "class": "conv-title", text: title }),
      el("span", { "class": "conv-date", text: whenText(c.updated_at || c.created_at) })
    ]);
    if (c.id === conversationId()) openButton.setAttribute("aria-current", "true");
    var deleteButton = iconButton("trash", "Delete conversation: " + title, confirmDelete);
    append(row, [openButton, deleteButton]);

    function confirmDelete() {
      var yes = el("button", { type: "button", "class": "btn primary", text: "Delete", on: { click: remove } });
      var no = el("button", { type: "button", "class": "btn", text: "Cancel", on: { click: function () {
        row.replaceChildren(openButton, deleteButton);
        deleteButton.focus();
      } } });
      row.replaceChildren(el("div", { "class": "confirm" }, [el("span", { text: "Delete “" + title + "”?" }), yes, no]));
      no.focus();
    }

    async function remove() {
      try {
        await api("DELETE", "/api/conversations/" + encodeURIComponent(c.id));
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        announce("Conversation deleted.");
        if (c.id === conversationId()) {
          setConversationId(null);
          resetLog();
          starterChips();
        }
        var focusTarget = next && next.querySelector("button");
        (focusTarget || historyView.querySelector("h3")).focus();
      } catch (err) {
        announce(err instanceof ApiError ? err.message : "Could not delete: no connection.");
      }
    }
    return row;
  }

  /* ---------- the launcher keeps clear of the page's own buttons and links ---------- */

  var INTERACTIVE = "a[href],button,input,select,textarea,summary,[role=button],[tabindex]:not([tabindex='-1'])";

  // If a link or button of the host page is under the launcher, lift the launcher above it.
  function keepClear() {
    if (inline || !launcher) return;
    root.style.setProperty("--lift", "0px");
    var box = launcher.getBoundingClientRect();
    if (!box.width) return;
    var lift = 0;
    var points = [[box.left + 6, box.top + 6], [box.right - 6, box.top + 6], [box.left + 6, box.bottom - 6],
      [box.right - 6, box.bottom - 6], [box.left + box.width / 2, box.top + box.height / 2]];
    points.forEach(function (point) {
      document.elementsFromPoint(point[0], point[1]).forEach(function (node) {
        if (node === host || node === document.body || node === document.documentElement) return;
        var target = node.closest && node.closest(INTERACTIVE);
        if (!target || target === host) return;
        lift = Math.max(lift, box.bottom - target.getBoundingClientRect().top + 8);
      });
    });
    root.style.setProperty("--lift", Math.min(lift, window.innerHeight / 2) + "px");
  }

  var clearFrame = 0;
  function keepClearSoon() {
    if (clearFrame) return;
    clearFrame = requestAnimationFrame(function () { clearFrame = 0; keepClear(); });
  }

  if (!inline) {
    window.addEventListener("scroll", keepClearSoon, { passive: true });
    window.addEventListener("resize", keepClearSoon);
    if (document.readyState === "complete") keepClearSoon();
    else window.addEventListener("load", keepClearSoon);
    keepClearSoon();
  }

  /* ---------- start ---------- */

  // Any element of the host page marked data-coachbot-open opens the chat ("Ask our coach" links).
  if (!inline) {
    document.addEventListener("click", function (event) {
      var trigger = event.target && event.target.closest && event.target.closest("[data-coachbot-open]");
      if (!trigger) return;
      event.preventDefault();
      open(true);
    });
  }

  if (inline || session.get("open")) {
    if (inline) ensureLoaded();
    else open(false); // reopened after a reload: do not steal the page's focus
  }
})();
