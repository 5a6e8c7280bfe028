// Keyboard shortcuts, loaded as an ES module through IJSRuntime (no inline script: a Content-Security-Policy is coming).
// Nothing fires while the user types in a field or while a dialog is open, nor with Ctrl / Alt / Meta held.

function isTyping(target) {
    if (!(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    return target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
}

function dialogOpen() {
    return document.querySelector('.mud-dialog-container, [role="dialog"][aria-modal="true"]') !== null;
}

function quiet(e) {
    return e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || e.isComposing || isTyping(e.target) || dialogOpen();
}

/** `/` focuses the app bar's contact search, on any page. */
export function focusSearchOnSlash(selector) {
    const handler = e => {
        if (e.key !== '/' || quiet(e)) return;
        const input = document.querySelector(selector);
        if (!input) return;
        e.preventDefault(); // the slash is a command, not the first character of the search
        input.focus();
    };
    document.addEventListener('keydown', handler);
    return { dispose: () => document.removeEventListener('keydown', handler) };
}

/**
 * The calling page's keys: each key in `keys` is sent to the page's [JSInvokable] `OnKey`. Enter on a focused button or
 * link is left to the browser (it presses that control); Escape while a drop-down is open closes the drop-down.
 */
export function listen(dotNet, keys) {
    const wanted = new Set(keys);
    const handler = e => {
        const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
        if (!wanted.has(key) || quiet(e)) return;
        if (key === 'Enter' && e.target instanceof Element && e.target.closest('button, a, [role="button"], [role="option"], [role="menuitem"]')) return;
        if (key === 'Escape' && document.querySelector('.mud-popover-open .mud-list, .mud-popover-open .mud-picker')) return;
        e.preventDefault();
        dotNet.invokeMethodAsync('OnKey', key);
    };
    document.addEventListener('keydown', handler);
    // How many pages listen (a page leaving and the next arriving may overlap): tests wait for it before pressing keys.
    const count = () => Number(document.body.dataset.pageKeys || 0);
    document.body.dataset.pageKeys = count() + 1;
    return {
        dispose: () => {
            document.removeEventListener('keydown', handler);
            document.body.dataset.pageKeys = Math.max(0, count() - 1);
        }
    };
}
