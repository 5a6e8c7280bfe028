// Keyboard shortcuts, loaded as an ES module through IJSRuntime (no inline script: a Content-Security-Policy is coming).
// Nothing fires while the user types in a field or while a dialog is open, nor with Ctrl / Alt / Meta held.

function isTyping(target) {
    if (!(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    return target.closest('input, textarea, select, .mud-select, [role="combobox"], [contenteditable=""], [contenteditable="true"]') !== null;
}

/** A MudSelect drop-down (not an autocomplete, whose input is typed into) that has the focus. */
function focusedDropDown(target) {
    if (!(target instanceof Element)) return false;
    const select = target.closest('.mud-select');
    if (!select || select.closest('.mud-autocomplete') || target.closest('.mud-popover')) return false;
    const editable = target.matches('input, textarea') && !target.readOnly;
    return !editable;
}

// A focused MudSelect takes a typed character as a search of its items and, when none matches, chooses its FIRST item:
// on the calling page "?" (the keys legend) or a digit (an outcome) pressed while "Number dialled" has the focus would
// silently swap the number. The calling page's drop-downs are short lists opened with Enter, Space or the arrow keys, so
// while the page listens, characters never reach one. Runs in the capture phase on window, before MudBlazor's key
// interceptor on the element.
function guardDropDowns(e) {
    if (e.key.length !== 1 || e.key === ' ' || e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
    if (!focusedDropDown(e.target)) return;
    e.stopPropagation();
    e.preventDefault();
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
    window.addEventListener('keydown', guardDropDowns, true);
    // How many pages listen (a page leaving and the next arriving may overlap): tests wait for it before pressing keys.
    const count = () => Number(document.body.dataset.pageKeys || 0);
    document.body.dataset.pageKeys = count() + 1;
    return {
        dispose: () => {
            document.removeEventListener('keydown', handler);
            document.body.dataset.pageKeys = Math.max(0, count() - 1);
            // One guard for every listening page (adding the same listener twice adds it once): the last one out removes it.
            if (count() === 0) window.removeEventListener('keydown', guardDropDowns, true);
        }
    };
}
