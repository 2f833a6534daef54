type Extra<C, S> = Exclude<keyof C, keyof S>;
type Missing<C, S> = Exclude<keyof S, keyof C>;

/**
 * Compile-time: the class `C` declares exactly the properties of the shared type `S`. `implements`
 * checks the types of what the class declares; this also refuses a property the shared type has
 * and the class (so the OpenAPI document) leaves out, an optional one too. Call it as
 * `sameKeys<JobViewDto, JobView>(true)`: when they differ, the compiler names the keys.
 */
export function sameKeys<C, S>(same: [Extra<C, S> | Missing<C, S>] extends [never] ? true : { extra: Extra<C, S>; missing: Missing<C, S> }): void {
  void same;
}
