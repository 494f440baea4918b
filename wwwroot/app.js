// Small browser helpers for HitlConsole; no framework code lives here.
window.hitl = {
    getTheme: () => localStorage.getItem("hitl.theme"),
    setTheme: (value) => localStorage.setItem("hitl.theme", value),
    reconnect: async () => {
        try {
            const ok = await Blazor.reconnect();
            if (!ok) { await Blazor.resumeCircuit?.() || location.reload(); }
        } catch { location.reload(); }
    },
};
