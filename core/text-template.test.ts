import { describe, expect, it } from 'vitest';
import { textTemplates } from './text-template.js';

const greeting = textTemplates({ name: 'the person’s name', ticket: 'the ticket number' });

describe('the {name} template language', () => {
  it('fills every variable, however often it appears', () => {
    expect(greeting.render('Hello {name}, about {ticket}: {name}.', { name: 'Kim', ticket: 'INC1' })).toBe('Hello Kim, about INC1: Kim.');
  });

  it('names each unknown variable once, in order, and leaves it as written', () => {
    const text = 'Hi {nme}, {ticket} {nme} {due}';
    expect(greeting.unknownVariables(text)).toEqual(['nme', 'due']);
    expect(greeting.render(text, { name: 'Kim', ticket: 'INC1' })).toBe('Hi {nme}, INC1 {nme} {due}');
    expect(greeting.unknownVariablesMessage(['nme', 'due'])).toBe('are not variables: {nme}, {due}; the variables are {name}, {ticket}');
  });

  it('does not take an object’s built-in names for variables', () => {
    expect(greeting.unknownVariables('{toString} {constructor} {__proto__}')).toEqual(['toString', 'constructor', '__proto__']);
    expect(greeting.render('{toString}', { name: 'Kim', ticket: 'INC1' })).toBe('{toString}');
  });
});
