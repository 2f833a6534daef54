/**
 * Every member of a string union as an array, from an object the compiler holds complete: a
 * member added to the union fails to compile here until it is listed, so an `enum` in the
 * OpenAPI document (or an `@IsIn`) cannot fall behind the shared type.
 */
export const literals = <T extends string>(members: Record<T, true>): T[] => Object.keys(members) as T[];
