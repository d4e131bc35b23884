/** Types of zh.js for the unit tests. */
declare const dictionary: Readonly<Record<string, string>>;
export default dictionary;
