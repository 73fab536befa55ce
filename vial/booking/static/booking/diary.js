/* The staff diary's keyboard shortcuts and the day list's Print button. No inline script (CSP).
 *
 * On the diary: ← previous day (or week), → next, T today, W week view, D day view. Only when no field,
 * button or scrolling grid has the focus and no modifier key is held, so typing and scrolling are untouched.
 * Each shortcut is a link on the page marked data-diary-key, so it works without JavaScript by clicking.
 */
(function () {
    "use strict";

    function typing(element) {
        if (!element || element === document.body) return false;
        return element.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(element.tagName) || !!element.closest("[role=region]");
    }

    document.addEventListener("keydown", function (event) {
        if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
        if (typing(document.activeElement)) return;
        var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
        var link = document.querySelector('a[data-diary-key="' + key + '"]');
        if (link) {
            event.preventDefault();
            window.location.assign(link.href);
        }
    });

    document.addEventListener("DOMContentLoaded", function () {
        document.querySelectorAll("[data-diary-print]").forEach(function (button) {
            button.hidden = false;
            button.addEventListener("click", function () {
                window.print();
            });
        });
    });
})();
