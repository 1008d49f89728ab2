/**
 * Destination control words of the RTF Specification 1.9.1 ("Destination" in the index of control
 * words). A destination word starts a new place where text goes; Word honours one anywhere in a group,
 * not only right after `{`, and malware relies on that (rtfobj issue #78 and later).
 * `\rtf` itself is not one (rtfobj issue #522), nor are `\private` and `\pxe` (issues #178, #196).
 */
const WORDS = `
aftncn aftnsep aftnsepc annotation atnauthor atndate atnid atnparent atnref atrfend atrfstart author
background bkmkend bkmkstart blipuid buptim category colorschememapping colortbl comment company creatim
datafield datastore defchp defpap do doccomm docvar dptxbxtext ebcend ebcstart factoidname falt fchars
ffdeftext ffentrymcr ffexitmcr ffformat ffhelptext ffl ffname ffstattext field file filetbl fldinst fldrslt
fldtype fontemb fonttbl footer footerf footerl footerr footnote formfield ftncn ftnsep ftnsepc g generator
gridtbl header headerf headerl headerr hl hlfr hlinkbase hlloc hlsrc hsv info keywords latentstyles lchars
levelnumbers leveltext lfolevel linkval list listlevel listname listoverride listoverridetable listpicture
liststylename listtable listtext lsdlockedexcept macc maccPr mailmerge malnScr manager margPr margSz mbar
mbarPr mbaseJc mbegChr mborderBox mborderBoxPr mbox mboxPr mchr mcount mctrlPr md mdeg mdegHide mden mdiff
mdPr me mendChr meqArr meqArrPr mf mfName mfPr mfunc mfuncPr mgroupChr mgroupChrPr mgrow mhideBot
mhideLeft mhideRight mhideTop mlim mlimLoc mlimLow mlimLowPr mlimUpp mlimUppPr mm mmaddfieldname mmathPict
mmaxDist mmc mmcJc mmconnectstr mmconnectstrdata mmcPr mmcs mmdatasource mmheadersource mmmailsubject mmodso
mmodsofilter mmodsofldmpdata mmodsomappedname mmodsoname mmodsorecipdata mmodsosort mmodsosrc mmodsotable
mmodsoudl mmodsoudldata mmodsouniquetag mmPr mmquery mmr mnary mnaryPr mnoBreak mnum mobjDist moMath
moMathPara moMathParaPr mopEmu mphant mphantPr mplcHide mpos mr mrad mradPr mrPr msepChr mshow mshp msPre
msPrePr msSub msSubPr msSubSup msSubSupPr msSup msSupPr mstrikeBLTR mstrikeH mstrikeTLBR mstrikeV msub
msubHide msup msupHide mtransp mtype mvertJc mvfmf mvfml mvtof mvtol mzeroAsc mzeroDesc mzeroWid
nesttableprops nonesttables objalias objclass objdata object objname objsect oldcprops oldpprops oldsprops
oldtprops oleclsid operator panose password passwordhash pgp pgptbl picprop pict pn pnaiu pnaiud pnseclvl
pntext pntxta pntxtb printim propname protend protstart protusertbl result revtbl revtim rxe shp shpgrp
shpinst shppict shprslt shptxt sn sp staticval stylesheet subject sv svb tc template themedata title txe ud
upr userprops wgrffmtfilter windowcaption writereservation writereservhash xe xform xmlattrname
xmlattrvalue xmlclose xmlname xmlnstbl xmlopen
`;

export const DESTINATION_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));

/** The destinations whose content the parser keeps; every other destination's text is dropped. */
export type KeptDestination = 'objdata' | 'objclass' | 'fldinst' | 'template' | 'oleclsid';

export const KEPT_DESTINATIONS: ReadonlySet<string> = new Set<KeptDestination>([
  'objdata',
  'objclass',
  'fldinst',
  'template',
  'oleclsid',
]);

/** Flags of an `\object` destination (RTF 1.9.1 "Objects"): what kind of object and how it updates. */
export const OBJECT_KIND_WORDS: ReadonlySet<string> = new Set([
  'objemb',
  'objlink',
  'objautlink',
  'objsub',
  'objpub',
  'objicemb',
  'objhtml',
  'objocx',
]);
