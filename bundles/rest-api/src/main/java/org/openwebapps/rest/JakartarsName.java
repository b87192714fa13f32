package org.openwebapps.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type that names a resource or extension (service property
 * {@value #NAME_PROPERTY}); the runtime uses the name in its log lines.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface JakartarsName {

    /** Prefix that makes the property name {@value #NAME_PROPERTY}. */
    String PREFIX_ = "osgi.";

    /** The service property holding the name. */
    String NAME_PROPERTY = "osgi.jakartars.name";

    /** @return the name, unique among the server's resources and extensions */
    String value();
}
