package org.openwebapps.itests;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The environment variables naming the external servers a test (method or whole class) needs
 * (README, "Tests"). {@link ServerExam} skips it, in the test JVM, when one is unset; under
 * {@code CI=true} it fails instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresServers {

    /** e.g. {@code MYSQL_URL}, {@code HBASE_ZK_QUORUM} */
    String[] value();
}
