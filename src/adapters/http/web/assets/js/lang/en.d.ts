/** Types of en.js for the unit tests. */
declare const dictionary: Readonly<Record<string, string>>;
export default dictionary;
