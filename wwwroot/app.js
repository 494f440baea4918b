// Small browser helpers for HitlConsole; no framework code lives here.
window.hitl = {
    // The saved choice, else the system's: one round trip when the circuit starts. It is kept in a cookie too, for the pages
    // rendered on the server alone (the password page), which have no circuit to ask.
    getTheme: () => {
        const theme = localStorage.getItem("hitl.theme") ?? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
        hitl.themeCookie(theme);
        return theme;
    },
    setTheme: (value) => { localStorage.setItem("hitl.theme", value); hitl.themeCookie(value); },
    themeCookie: (value) => { document.cookie = `hitl.theme=${value}; path=/; max-age=31536000; samesite=lax`; },
    reconnect: async () => {
        try {
            const ok = await Blazor.reconnect();
            if (!ok) { await Blazor.resumeCircuit?.() || location.reload(); }
        } catch { location.reload(); }
    },

    // A form that opens inside a long page (reject, regenerate, save as knowledge) is brought into view, or the click seems to do nothing.
    reveal: (selector) => document.querySelector(selector)?.scrollIntoView({
        block: "nearest", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth",
    }),

    // Unsent editor text survives a lost connection or a reload: kept per draft in this browser until it is decided.
    drafts: {
        save: (draftId, text) => { try { localStorage.setItem("hitl.draft." + draftId, text); } catch { } },
        load: (draftId) => localStorage.getItem("hitl.draft." + draftId),
        clear: (draftId) => localStorage.removeItem("hitl.draft." + draftId),
        // Selects a placeholder in the editor, so typing replaces it.
        select: (start, length) => {
            const editor = document.querySelector("textarea[data-testid=draft-editor]");
            if (!editor) return;
            editor.focus();
            editor.setSelectionRange(start, start + length);
        },
    },

    // A reply's attachment (the stored file's id and name), remembered per draft or conversation until the reply is sent.
    attachments: {
        save: (key, value) => { try { localStorage.setItem("hitl.attach." + key, value); } catch { } },
        load: (key) => localStorage.getItem("hitl.attach." + key),
        clear: (key) => localStorage.removeItem("hitl.attach." + key),
    },

    // The agent's status (available / away), remembered per user in this browser.
    status: {
        isAway: (userId) => localStorage.getItem("hitl.away." + userId) === "1",
        setAway: (userId, away) => away ? localStorage.setItem("hitl.away." + userId, "1") : localStorage.removeItem("hitl.away." + userId),
    },

    // Alerts: a short tone and the tab title; muting is remembered per user in this browser.
    alerts: {
        isMuted: (userId) => localStorage.getItem("hitl.muted." + userId) === "1",
        setMuted: (userId, muted) => muted ? localStorage.setItem("hitl.muted." + userId, "1") : localStorage.removeItem("hitl.muted." + userId),
        // The tab title carries the pending count on every page; page navigation rewrites the title, so it is re-applied.
        title: (count) => {
            const a = window.hitl.alerts;
            a._count = count;
            a._apply();
            if (!a._observer && document.querySelector("title")) {
                a._observer = new MutationObserver(() => a._apply());
                a._observer.observe(document.querySelector("title"), { childList: true });
            }
        },
        _apply: () => {
            const count = window.hitl.alerts._count || 0, base = document.title.replace(/^\(\d+\)\s*/, "");
            const wanted = count > 0 ? `(${count}) ${base}` : base;
            if (document.title !== wanted) document.title = wanted;
        },
        // Opt-in desktop notifications (assigned to me, a mention, an urgent guardrail alert), per person and browser.
        desktop: {
            _key: (userId) => "hitl.desktop." + userId,
            state: (userId) => {
                if (!("Notification" in window)) return "unsupported";
                if (Notification.permission === "denied") return "denied";
                return Notification.permission === "granted" && localStorage.getItem(window.hitl.alerts.desktop._key(userId)) === "1" ? "on" : "off";
            },
            enable: async (userId) => {
                if (!("Notification" in window)) return "unsupported";
                const permission = await Notification.requestPermission();
                if (permission === "granted") localStorage.setItem(window.hitl.alerts.desktop._key(userId), "1");
                return window.hitl.alerts.desktop.state(userId);
            },
            disable: (userId) => {
                localStorage.removeItem(window.hitl.alerts.desktop._key(userId));
                return window.hitl.alerts.desktop.state(userId);
            },
            // Only while the person looks elsewhere: on screen, the console's own notice already says it.
            show: (userId, title, body, url, tag) => {
                const d = window.hitl.alerts.desktop;
                if (d.state(userId) !== "on" || (document.visibilityState === "visible" && document.hasFocus())) return false;
                try {
                    const n = new Notification(title, { body, tag, lang: document.documentElement.lang || undefined });
                    n.onclick = () => { window.focus(); n.close(); window.Blazor?.navigateTo ? window.Blazor.navigateTo(url) : location.assign(url); };
                    (d.shown ??= []).push({ title, body, url, tag });
                    return true;
                } catch { return false; }
            },
        },
        beep: (userId, urgent) => {
            if (window.hitl.alerts.isMuted(userId)) return false;
            try {
                const ctx = window.hitl.alerts._ctx ??= new AudioContext();
                const tone = (freq, start) => {
                    const osc = ctx.createOscillator(), gain = ctx.createGain();
                    osc.frequency.value = freq;
                    gain.gain.setValueAtTime(0.08, ctx.currentTime + start);
                    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + 0.18);
                    osc.connect(gain).connect(ctx.destination);
                    osc.start(ctx.currentTime + start);
                    osc.stop(ctx.currentTime + start + 0.2);
                };
                tone(urgent ? 660 : 880, 0);
                if (urgent) tone(440, 0.22);
                window.hitl.alerts.played = (window.hitl.alerts.played || 0) + 1;
                return true;
            } catch { return false; }
        },
    },

    // A conversation reads like a chat: it opens at the newest message and follows new ones, unless the reader scrolled
    // up to read older ones; then a "new messages" button appears instead of yanking the view away.
    timeline: {
        follow: (el) => {
            if (!el || el._hitlFollow) return;
            const pill = el.querySelector(".hitl-timeline-new");
            const nearBottom = () => el.scrollHeight - el.scrollTop - el.clientHeight < 48;
            const toBottom = () => { el.scrollTop = el.scrollHeight; if (pill) pill.hidden = true; };
            let stick = true;
            el.addEventListener("scroll", () => { stick = nearBottom(); if (stick && pill) pill.hidden = true; }, { passive: true });
            const observer = new MutationObserver(() => { if (stick) toBottom(); else if (pill) pill.hidden = false; });
            observer.observe(el.querySelector(".hitl-sim-transcript") || el, { childList: true, subtree: true });
            pill?.addEventListener("click", toBottom);
            el._hitlFollow = observer;
            toBottom();
        },
        stop: (el) => { el?._hitlFollow?.disconnect(); if (el) delete el._hitlFollow; },
    },

    // Review shortcuts: one listener for the page; the console registers who handles what.
    shortcuts: {
        _handlers: {},
        // The owner id keeps a component that is going away from removing its successor's registration.
        register: (name, owner, dotnetRef) => { window.hitl.shortcuts._handlers[name] = { owner, ref: dotnetRef }; },
        unregister: (name, owner) => {
            if (window.hitl.shortcuts._handlers[name]?.owner === owner) delete window.hitl.shortcuts._handlers[name];
        },
        _fire: (name, action, e) => {
            const ref = window.hitl.shortcuts._handlers[name]?.ref;
            if (!ref) return;
            e.preventDefault();
            ref.invokeMethodAsync("OnShortcut", action);
        },
    },
};

document.addEventListener("keydown", (e) => {
    const s = window.hitl.shortcuts, mod = e.ctrlKey || e.metaKey;
    if ((e.key === "Enter" || e.key === " ") && e.target instanceof Element && e.target.matches(".hitl-placeholder[data-start]")) {
        e.preventDefault();
        window.hitl.drafts.select(Number(e.target.dataset.start), Number(e.target.dataset.length));
        return;
    }
    if (mod && !e.shiftKey && e.key === "Enter") s._fire("editor", "send", e);
    else if (mod && e.shiftKey && (e.key === "X" || e.key === "x")) s._fire("editor", "reject", e);
    else if (e.altKey && e.key === "ArrowDown") s._fire("inbox", "next", e);
    else if (e.altKey && e.key === "ArrowUp") s._fire("inbox", "previous", e);
});

// "?" outside a text field shows the review console's shortcuts (its keyboard button), Escape puts them away.
document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    const typing = e.target instanceof Element && e.target.closest("input, textarea, select, [contenteditable=true]");
    if (e.key === "?" && !typing) {
        const help = document.querySelector("[data-testid=shortcuts-help]");
        if (help) { e.preventDefault(); help.click(); }
    } else if (e.key === "Escape") {
        document.querySelector("[data-testid=shortcuts-popover] [data-testid=shortcuts-close]")?.click();
    }
});

// A posted form's page (the password page) shows the server's last answer; a new attempt the browser stops itself (a field
// too short) gets no answer from the server, so the old one would stand beside the browser's own hint: it is put away.
document.addEventListener("invalid", (e) => {
    const form = e.target instanceof Element ? e.target.closest("form") : null;
    form?.closest("[data-testid=password-page]")?.querySelectorAll("[data-testid=password-error]").forEach(a => a.style.display = "none");
}, true);

// The reconnect dialog's buttons (wired here: the content security policy allows no inline handlers), and the draft's
// highlighted placeholders, which select themselves in the editor.
document.addEventListener("click", (e) => {
    if (!(e.target instanceof Element)) return;
    const placeholder = e.target.closest(".hitl-placeholder[data-start]");
    if (placeholder) window.hitl.drafts.select(Number(placeholder.dataset.start), Number(placeholder.dataset.length));
    if (e.target.closest(".hitl-reconnect-retry")) window.hitl.reconnect();
    else if (e.target.closest(".hitl-reconnect-reload")) location.reload();
});

// A conversation chosen in the inbox is marked at once: the server's answer (the route, then the conversation's read) can take
// a second on a busy instance, and until then the pane still said "Choose a conversation". The mark goes when the pane's
// content changes, or after ten seconds if nothing came.
document.addEventListener("click", (e) => {
    if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || !(e.target instanceof Element)) return;
    const row = e.target.closest("a.hitl-row");
    const inbox = row?.closest(".hitl-inbox"), detail = inbox?.querySelector(".hitl-inbox-detail");
    if (!detail || row.getAttribute("aria-current") === "page") return;
    inbox.querySelectorAll("a.hitl-row[data-opening]").forEach(r => r.removeAttribute("data-opening"));
    row.setAttribute("data-opening", "");
    inbox.setAttribute("data-opening", "");
    const done = () => {
        observer.disconnect();
        clearTimeout(timer);
        row.removeAttribute("data-opening");
        inbox.removeAttribute("data-opening");
    };
    const observer = new MutationObserver(done);
    observer.observe(detail, { childList: true });
    const timer = setTimeout(done, 10000);
});

// The simulator is a chat: Enter sends, Shift+Enter starts a new line. On a touch screen, as in a phone's own chat apps, the
// keyboard's Enter starts a new line and the button sends (app.css hides the hint there).
document.addEventListener("keydown", e => {
    if (e.key !== "Enter" || e.shiftKey || e.isComposing || !e.target.closest?.("[data-testid=sim-text]")) return;
    if (window.matchMedia("(pointer: coarse)").matches) return;
    e.preventDefault();
    // Text pasted and sent at once reaches the server a moment before the button is enabled: wait for it (up to a second)
    // rather than add a line or drop the Enter.
    const field = e.target;
    const send = (tries) => {
        const button = document.querySelector("[data-testid=sim-send]");
        if (button && !button.disabled) button.click();
        else if (tries > 0 && field.value.trim()) setTimeout(() => send(tries - 1), 50);
    };
    send(20);
});

// "/" saved replies in an editor: while the list is open, the arrows, Enter, Tab and Escape choose in the list instead of
// moving the caret or adding a line (the component hears the same keys and acts on them).
document.addEventListener("keydown", e => {
    if (!["ArrowDown", "ArrowUp", "Enter", "Tab", "Escape"].includes(e.key) || e.ctrlKey || e.metaKey) return;
    if (e.target.closest?.(".hitl-slash-host[data-slash-open=true]") && e.target.matches("textarea")) e.preventDefault();
}, true);
