import { expect, it } from 'vitest';
import { AbsList } from './abs-list.js';

it('grows, finds by binary search, and trims lines that fell off the front', () => {
  const list = new AbsList();
  for (let i = 0; i < 3000; i++) list.push(i * 2);
  expect(list.length).toBe(3000);
  expect(list.indexOf(1000)).toBe(500);
  expect(list.indexOf(1001)).toBe(-1);
  expect(list.lowerBound(1001)).toBe(501);
  list.trimBelow(5000);
  expect(list.length).toBe(500);
  expect(list.at(0)).toBe(5000);
  list.push(6000);
  expect(list.at(list.length - 1)).toBe(6000);
  expect(list.toArray().slice(0, 2)).toEqual([5000, 5002]);
});
