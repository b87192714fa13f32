package org.openwebapps.payments.fake.internal;

/** The session page: plain HTML, no script, every value escaped. */
final class Pages {

    private Pages() {
    }

    static String session(FakePaymentProvider.Session session) {
        StringBuilder page = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Fake payment</title></head><body><h1>Fake payment</h1><p>Nobody pays anything here.</p><dl>");
        String transaction;
        String refunds;
        synchronized (session) {
            transaction = session.transactionId;
            refunds = String.join(", ", session.refundsAsked);
        }
        item(page, "App", session.order.appName() + " (" + session.order.app() + ")");
        item(page, "Order", session.order.uuid());
        item(page, "Amount", session.order.amount().toPlainString() + " " + session.order.currency());
        item(page, "Transaction", transaction == null ? "none yet" : transaction);
        item(page, "Refunds asked", refunds.isEmpty() ? "none" : refunds);
        page.append("</dl><form method=\"post\">");
        for (FakePaymentProvider.Action action : FakePaymentProvider.Action.values()) {
            String name = action.name().toLowerCase();
            page.append("<button name=\"action\" value=\"").append(name).append("\" id=\"fake-").append(name)
                    .append("\">").append(name).append("</button> ");
        }
        return page.append("</form></body></html>").toString();
    }

    private static void item(StringBuilder page, String name, String value) {
        page.append("<dt>").append(name).append("</dt><dd>").append(escape(value)).append("</dd>");
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
