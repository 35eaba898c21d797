/**
 * Signing an issued letter's PDF with the IMR organization's certificate: a PAdES baseline
 * (B-B) signature, `/SubFilter /ETSI.CAdES.detached`, as an incremental update.
 *
 * - The placeholder (signature dictionary, invisible widget, AcroForm) is added by
 *   `@signpdf/placeholder-plain`, and the byte range filled in by `@signpdf/signpdf`.
 * - The CMS SignedData is built here with node-forge's ASN.1 and Node's crypto, because
 *   node-forge's PKCS#7 signer (and so `@signpdf/signer-p12`) writes a `signingTime`
 *   attribute, which PAdES forbids, and cannot write the `signing-certificate-v2` attribute
 *   PAdES requires. Signed attributes: content type, message digest (SHA-256),
 *   signing-certificate-v2. RSA PKCS #1 v1.5 signatures are deterministic, and the signing
 *   time (`/M`) is the letter's date: the same letter and key give the same bytes.
 * - The key and certificate come from a PKCS#12 file (`loadSigningKey`), never from the
 *   repository: `imr-letters.config.yaml` `signing.pkcs12`, or `IMR_SIGNING_P12`; its
 *   passphrase from `IMR_SIGNING_PASSPHRASE` (default: empty).
 */
import { createHash, createPrivateKey, sign as rsaSign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { ImrError } from '../errors.js';

const { asn1, pki } = forge;
const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
};

/** PKCS#12 bag types (PKCS #12 v1, appendix D). */
const BAG = { key: '1.2.840.113549.1.12.10.1.1', shroudedKey: '1.2.840.113549.1.12.10.1.2', cert: '1.2.840.113549.1.12.10.1.3' };

/** A signing key and its certificate chain (the signer's first). */
export interface SigningKey {
  key: KeyObject;
  /** DER of each certificate, the signer's first. */
  certificates: Buffer[];
  /** The signer's common name, for the signature dictionary's /Name. */
  name: string;
}

/** A PKCS#12 file that cannot be used to sign. */
export class SigningError extends ImrError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('SigningError', message, options);
  }
}

/** Reads the key and certificates of a PKCS#12 file. */
export function loadSigningKey(file: string, passphrase = ''): SigningKey {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const der = readFileSync(file).toString('binary');
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(der), passphrase);
  } catch (cause) {
    throw new SigningError(`Cannot read the PKCS#12 file ${file}: ${(cause as Error).message}`, { cause, hint: 'Check the file and IMR_SIGNING_PASSPHRASE.' });
  }
  const bags = (type: string): forge.pkcs12.Bag[] => p12.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(BAG.shroudedKey), ...bags(BAG.key)][0];
  const certs = bags(BAG.cert)
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => !!c);
  if (!keyBag?.key || !certs.length) throw new SigningError(`${file} holds no private key and certificate`, { hint: 'Export the key with its certificate (openssl pkcs12 -export -inkey key.pem -in cert.pem).' });
  const publicPem = pki.publicKeyToPem(pki.setRsaPublicKey((keyBag.key as forge.pki.rsa.PrivateKey).n, (keyBag.key as forge.pki.rsa.PrivateKey).e));
  // The signer's certificate is the one whose public key is the key's.
  certs.sort((a, b) => Number(pki.publicKeyToPem(b.publicKey) === publicPem) - Number(pki.publicKeyToPem(a.publicKey) === publicPem));
  const key = createPrivateKey(pki.privateKeyToPem(keyBag.key));
  const certificates = certs.map((c) => Buffer.from(asn1.toDer(pki.certificateToAsn1(c)).getBytes(), 'binary'));
  const cn = certs[0]!.subject.getField('CN') as { value?: string } | null;
  return { key, certificates, name: cn?.value ?? 'IMR organization' };
}

/** The PKCS#12 file named by the configuration or `IMR_SIGNING_P12`, if any (the environment wins). */
export function signingKeyFromEnvironment(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): SigningKey | undefined {
  const file = env.IMR_SIGNING_P12 || configured;
  return file ? loadSigningKey(file, env.IMR_SIGNING_PASSPHRASE ?? '') : undefined;
}

const der = (node: forge.asn1.Asn1): Buffer => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
const seq = (...v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, v);
const set = (...v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, v);
const oid = (o: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
const octets = (b: Buffer) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, b.toString('binary'));
const int = (n: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const NULL = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
const attribute = (type: string, value: forge.asn1.Asn1) => seq(oid(type), set(value));

/** The CMS SignedData (detached) of `content`, PAdES B-B attributes. */
export function cmsSignature(content: Buffer, signer: SigningKey): Buffer {
  const cert = asn1.fromDer(signer.certificates[0]!.toString('binary'));
  // TBSCertificate: [0] version, serialNumber, signature, issuer, …
  const tbs = (cert.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  const offset = tbs[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const serial = tbs[offset]!;
  const issuer = tbs[offset + 2]!;
  const issuerAndSerial = seq(issuer, serial);
  const certHash = createHash('sha256').update(signer.certificates[0]!).digest();
  // ESSCertIDv2 with the default hash (SHA-256) and issuerSerial (GeneralNames: [4] directoryName).
  const generalNames = seq(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [issuer]));
  const signingCertificateV2 = seq(seq(seq(octets(certHash), seq(generalNames, serial))));
  const attrs = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(createHash('sha256').update(content).digest())),
    attribute(OID.signingCertificateV2, signingCertificateV2),
  ];
  // DER orders a SET OF by encoding.
  attrs.sort((a, b) => Buffer.compare(der(a), der(b)));
  const signature = rsaSign('sha256', der(set(...attrs)), signer.key);
  const sha256 = seq(oid(OID.sha256), NULL());
  const signerInfo = seq(
    int(1),
    issuerAndSerial,
    sha256,
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs),
    seq(oid(OID.rsaEncryption), NULL()),
    octets(signature),
  );
  const certificates = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, signer.certificates.map((c) => asn1.fromDer(c.toString('binary'))));
  const signedData = seq(int(1), set(sha256), seq(oid(OID.data)), certificates, set(signerInfo));
  return der(seq(oid(OID.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData])));
}

class CadesSigner extends Signer {
  constructor(private readonly signer: SigningKey) {
    super();
  }
  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return cmsSignature(pdfBuffer, this.signer);
  }
}

/**
 * Tidies the update placeholder-plain appended, before the signature covers it: carries the
 * document's `/ID` into its trailer (placeholder-plain writes none, and PDF/A wants one in the
 * last trailer), and points `startxref` at the `xref` keyword itself (placeholder-plain points
 * at the blank line before it, which qpdf reports). Nothing after the trailer depends on its
 * length.
 */
function tidyUpdate(original: Uint8Array, updated: Buffer): Buffer {
  const before = Buffer.from(original).toString('latin1');
  let text = updated.toString('latin1');
  const xref = text.lastIndexOf('\nxref\n') + 1;
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text);
  const at = text.lastIndexOf('trailer');
  const open = text.indexOf('<<', at);
  if (xref === 0 || !startxref || at < xref || open === -1) throw new SigningError('the signature placeholder wrote no cross-reference table and trailer');
  text = `${text.slice(0, startxref.index)}startxref\n${xref}\n%%EOF\n`;
  const id = /\/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]/.exec(before.slice(before.lastIndexOf('trailer')))?.[0];
  if (id) text = `${text.slice(0, open + 2)}\n${id}${text.slice(open + 2)}`;
  return Buffer.from(text, 'latin1');
}

/** Signs a PDF (see the module comment); `date` is the signing time written as `/M`. */
export async function signPdf(pdf: Uint8Array, signer: SigningKey, date: Date, reason: string): Promise<Uint8Array> {
  const signatureLength = 2048 + signer.certificates.reduce((n, c) => n + c.length, 0) + 512;
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: Buffer.from(pdf),
    reason,
    contactInfo: '',
    name: signer.name,
    location: '',
    signingTime: date,
    signatureLength,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'imr-letters',
  });
  return new SignPdf().sign(tidyUpdate(pdf, withPlaceholder), new CadesSigner(signer));
}
