/**
 * The content guard's findings in copy, highlighted. The phrase list is the server's own (libs/common's pure
 * content-guard module, bundled here), so what the page marks is what the server refuses (V3); the server still
 * decides on every write.
 */
import { checkContent } from '../../../libs/common/src/content-guard';

export interface Finding {
  readonly phrase: string;
  readonly category: string;
  readonly legalBasis: string;
}

/** Every finding in the text: checks the text, then again with each found phrase blanked out, until it is clean. */
export const findingsIn = (text: string): Finding[] => {
  const findings: Finding[] = [];
  let remaining = text;
  for (let round = 0; round < 20; round++) {
    const check = checkContent(remaining);
    if (check.ok) break;
    findings.push({ phrase: check.phrase, category: check.category, legalBasis: check.legalBasis });
    const at = remaining.indexOf(check.phrase);
    if (at < 0) break; // matched only after normalisation: reported, not marked
    remaining = remaining.slice(0, at) + ' '.repeat(check.phrase.length) + remaining.slice(at + check.phrase.length);
  }
  return findings;
};

/** The text with each finding wrapped in <mark>. */
export const Highlighted = ({ text }: { text: string }) => {
  const phrases = findingsIn(text).map((finding) => finding.phrase);
  if (phrases.length === 0) return <>{text}</>;
  const escaped = phrases.map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const parts = text.split(new RegExp(`(${escaped.join('|')})`, 'g'));
  return (
    <>
      {parts.map((part, index) =>
        phrases.includes(part) ? (
          <mark key={index} className="finding" title="V3">
            {part}
          </mark>
        ) : (
          <span key={index}>{part}</span>
        ),
      )}
    </>
  );
};

export const Findings = ({ texts, okLabel, title }: { texts: string[]; okLabel: string; title: string }) => {
  const findings = texts.flatMap(findingsIn);
  if (findings.length === 0) return <p className="badge ok findings-none">{okLabel}</p>;
  return (
    <div className="findings" role="status" aria-live="polite">
      <strong>{title}</strong>
      <ul>
        {findings.map((finding, index) => (
          <li key={index}>
            <span className="rule">V3</span> <mark className="finding">{finding.phrase}</mark> · {finding.category} · {finding.legalBasis}
          </li>
        ))}
      </ul>
    </div>
  );
};
