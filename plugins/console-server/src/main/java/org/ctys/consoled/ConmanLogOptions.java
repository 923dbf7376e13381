package org.ctys.consoled;

import java.util.Locale;
import org.ctys.consoled.ConmanDirective.Value;

/** conman's {@code logopts="(lock|nolock),(sanitize|nosanitize),(timestamp|notimestamp)"}. */
final class ConmanLogOptions {

    private ConmanLogOptions() {}

    /** Reports a word conmand does not know; true when every word is valid. */
    static boolean check(Value v, String file, ImportReport report) {
        for (String w : v.text().split(",")) {
            String t = w.strip().toLowerCase(Locale.ROOT);
            if (!t.matches("(no)?(lock|sanitize|timestamp)")) {
                report.error(ImportReport.at(file, v.line()), "logopts \"" + v.text() + "\": '" + w.strip()
                        + "' is not lock, nolock, sanitize, nosanitize, timestamp or notimestamp");
                return false;
            }
        }
        return true;
    }

    /** The last of sanitize/nosanitize wins, as in conmand; nosanitize is the default. */
    static boolean sanitizes(Value v) {
        boolean on = false;
        for (String w : v.text().split(",")) {
            String t = w.strip().toLowerCase(Locale.ROOT);
            if (t.equals("sanitize")) on = true;
            if (t.equals("nosanitize")) on = false;
        }
        return on;
    }
}
