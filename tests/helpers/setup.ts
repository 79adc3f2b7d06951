// type-graphql's decorators read design-time metadata: load the polyfill before any schema class.
import 'reflect-metadata';
