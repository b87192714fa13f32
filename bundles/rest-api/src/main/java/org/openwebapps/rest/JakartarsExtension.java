package org.openwebapps.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type that marks a DS component as a JAX-RS extension (a filter, an
 * interceptor, an exception mapper, a message body reader or writer): it sets the service
 * property {@value #EXTENSION_PROPERTY}{@code =true}. Extensions apply to every resource of the
 * server.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface JakartarsExtension {

    /** Prefix that makes the property name {@value #EXTENSION_PROPERTY}. */
    String PREFIX_ = "osgi.";

    /** The service property (type {@code Boolean} or {@code "true"}) the runtime tracks. */
    String EXTENSION_PROPERTY = "osgi.jakartars.extension";
}
