package org.openwebapps.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type that marks a DS component as a JAX-RS resource: it sets the service
 * property {@value #RESOURCE_PROPERTY}{@code =true}. The component's class must carry
 * {@code @Path}; register it under its own class, e.g.
 * {@code @Component(service = MyResource.class) @JakartarsResource}.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface JakartarsResource {

    /** Prefix that makes the property name {@value #RESOURCE_PROPERTY}. */
    String PREFIX_ = "osgi.";

    /** The service property (type {@code Boolean} or {@code "true"}) the runtime tracks. */
    String RESOURCE_PROPERTY = "osgi.jakartars.resource";
}
