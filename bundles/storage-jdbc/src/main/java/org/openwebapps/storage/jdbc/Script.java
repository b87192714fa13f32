package org.openwebapps.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL statements run in order, each with its parameters and an optional reader of its result
 * set. Joined, they go to the server as one multi-statement (one round trip); otherwise each is
 * its own JDBC statement.
 */
final class Script {

    /** Reads the result set of one statement. */
    @FunctionalInterface
    interface Reader {
        void read(ResultSet rs) throws SQLException;
    }

    private record Part(String sql, Reader reader, Object[] params) {
    }

    private final boolean joined;
    private final List<Part> parts = new ArrayList<>();

    /** @param joined send the statements as one multi-statement */
    Script(boolean joined) {
        this.joined = joined;
    }

    /**
     * @param sql    one statement, or (joined only) several separated by {@code ;}
     * @param reader reads the one result set among its results, or null if it has none
     * @param params its parameters: {@code byte[]}, {@code Long} or {@code Boolean}, or null
     */
    Script add(String sql, Reader reader, Object... params) {
        parts.add(new Part(sql, reader, params));
        return this;
    }

    void run(Connection connection) throws SQLException {
        if (!joined) {
            for (Part part : parts) {
                try (PreparedStatement statement = connection.prepareStatement(part.sql())) {
                    bind(statement, 1, part.params());
                    execute(statement, part.reader());
                }
            }
            return;
        }
        StringBuilder sql = new StringBuilder();
        for (Part part : parts) {
            sql.append(sql.length() == 0 ? "" : "; ").append(part.sql());
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            for (Part part : parts) {
                index = bind(statement, index, part.params());
            }
            boolean resultSet = statement.execute();
            // Walk every result: the server reports an error of a later statement only when the
            // walk reaches it.
            int part = 0;
            while (resultSet || statement.getUpdateCount() != -1) {
                if (resultSet) {
                    Reader reader = readerFor(part);
                    try (ResultSet rs = statement.getResultSet()) {
                        if (reader != null) {
                            reader.read(rs);
                        }
                    }
                }
                part++;
                resultSet = statement.getMoreResults();
            }
        }
    }

    /** The reader of the statement that gave result number {@code result} (a part may hold several). */
    private Reader readerFor(int result) {
        int seen = 0;
        for (Part part : parts) {
            int statements = part.sql().split(";").length;
            if (result < seen + statements) {
                return part.reader();
            }
            seen += statements;
        }
        return null;
    }

    private static void execute(PreparedStatement statement, Reader reader) throws SQLException {
        if (reader == null) {
            statement.execute();
            return;
        }
        try (ResultSet rs = statement.executeQuery()) {
            reader.read(rs);
        }
    }

    private static int bind(PreparedStatement statement, int first, Object[] params) throws SQLException {
        int index = first;
        for (Object param : params) {
            if (param == null) {
                statement.setNull(index, Types.VARBINARY);
            } else if (param instanceof byte[] bytes) {
                statement.setBytes(index, bytes);
            } else if (param instanceof Long number) {
                statement.setLong(index, number);
            } else if (param instanceof Boolean flag) {
                statement.setBoolean(index, flag);
            } else {
                throw new IllegalArgumentException("unsupported parameter type " + param.getClass().getName());
            }
            index++;
        }
        return index;
    }
}
