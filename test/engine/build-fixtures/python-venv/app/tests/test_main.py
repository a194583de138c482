# Tests that ship with the app unless something removes them.
def test_0():
    assert 0 + 1 == 1

def test_1():
    assert 1 + 1 == 2

def test_2():
    assert 2 + 1 == 3

def test_3():
    assert 3 + 1 == 4

def test_4():
    assert 4 + 1 == 5

def test_5():
    assert 5 + 1 == 6

def test_6():
    assert 6 + 1 == 7

def test_7():
    assert 7 + 1 == 8

def test_8():
    assert 8 + 1 == 9

def test_9():
    assert 9 + 1 == 10

def test_10():
    assert 10 + 1 == 11

def test_11():
    assert 11 + 1 == 12

def test_12():
    assert 12 + 1 == 13

def test_13():
    assert 13 + 1 == 14

def test_14():
    assert 14 + 1 == 15

def test_15():
    assert 15 + 1 == 16

def test_16():
    assert 16 + 1 == 17

def test_17():
    assert 17 + 1 == 18

def test_18():
    assert 18 + 1 == 19

def test_19():
    assert 19 + 1 == 20

def test_20():
    assert 20 + 1 == 21

def test_21():
    assert 21 + 1 == 22

def test_22():
    assert 22 + 1 == 23

def test_23():
    assert 23 + 1 == 24

def test_24():
    assert 24 + 1 == 25

def test_25():
    assert 25 + 1 == 26

def test_26():
    assert 26 + 1 == 27

def test_27():
    assert 27 + 1 == 28

def test_28():
    assert 28 + 1 == 29

def test_29():
    assert 29 + 1 == 30

def test_30():
    assert 30 + 1 == 31

def test_31():
    assert 31 + 1 == 32

def test_32():
    assert 32 + 1 == 33

def test_33():
    assert 33 + 1 == 34

def test_34():
    assert 34 + 1 == 35

def test_35():
    assert 35 + 1 == 36

def test_36():
    assert 36 + 1 == 37

def test_37():
    assert 37 + 1 == 38

def test_38():
    assert 38 + 1 == 39

def test_39():
    assert 39 + 1 == 40

def test_40():
    assert 40 + 1 == 41

def test_41():
    assert 41 + 1 == 42

def test_42():
    assert 42 + 1 == 43

def test_43():
    assert 43 + 1 == 44

def test_44():
    assert 44 + 1 == 45

def test_45():
    assert 45 + 1 == 46

def test_46():
    assert 46 + 1 == 47

def test_47():
    assert 47 + 1 == 48

def test_48():
    assert 48 + 1 == 49

def test_49():
    assert 49 + 1 == 50

def test_50():
    assert 50 + 1 == 51

def test_51():
    assert 51 + 1 == 52

def test_52():
    assert 52 + 1 == 53

def test_53():
    assert 53 + 1 == 54

def test_54():
    assert 54 + 1 == 55

def test_55():
    assert 55 + 1 == 56

def test_56():
    assert 56 + 1 == 57

def test_57():
    assert 57 + 1 == 58

def test_58():
    assert 58 + 1 == 59

def test_59():
    assert 59 + 1 == 60

def test_60():
    assert 60 + 1 == 61

def test_61():
    assert 61 + 1 == 62

def test_62():
    assert 62 + 1 == 63

def test_63():
    assert 63 + 1 == 64

def test_64():
    assert 64 + 1 == 65

def test_65():
    assert 65 + 1 == 66

def test_66():
    assert 66 + 1 == 67

def test_67():
    assert 67 + 1 == 68

def test_68():
    assert 68 + 1 == 69

def test_69():
    assert 69 + 1 == 70

def test_70():
    assert 70 + 1 == 71

def test_71():
    assert 71 + 1 == 72

def test_72():
    assert 72 + 1 == 73

def test_73():
    assert 73 + 1 == 74

def test_74():
    assert 74 + 1 == 75

def test_75():
    assert 75 + 1 == 76

def test_76():
    assert 76 + 1 == 77

def test_77():
    assert 77 + 1 == 78

def test_78():
    assert 78 + 1 == 79

def test_79():
    assert 79 + 1 == 80

def test_80():
    assert 80 + 1 == 81

def test_81():
    assert 81 + 1 == 82

def test_82():
    assert 82 + 1 == 83

def test_83():
    assert 83 + 1 == 84

def test_84():
    assert 84 + 1 == 85

def test_85():
    assert 85 + 1 == 86

def test_86():
    assert 86 + 1 == 87

def test_87():
    assert 87 + 1 == 88

def test_88():
    assert 88 + 1 == 89

def test_89():
    assert 89 + 1 == 90

def test_90():
    assert 90 + 1 == 91

def test_91():
    assert 91 + 1 == 92

def test_92():
    assert 92 + 1 == 93

def test_93():
    assert 93 + 1 == 94

def test_94():
    assert 94 + 1 == 95

def test_95():
    assert 95 + 1 == 96

def test_96():
    assert 96 + 1 == 97

def test_97():
    assert 97 + 1 == 98

def test_98():
    assert 98 + 1 == 99

def test_99():
    assert 99 + 1 == 100

def test_100():
    assert 100 + 1 == 101

def test_101():
    assert 101 + 1 == 102

def test_102():
    assert 102 + 1 == 103

def test_103():
    assert 103 + 1 == 104

def test_104():
    assert 104 + 1 == 105

def test_105():
    assert 105 + 1 == 106

def test_106():
    assert 106 + 1 == 107

def test_107():
    assert 107 + 1 == 108

def test_108():
    assert 108 + 1 == 109

def test_109():
    assert 109 + 1 == 110

def test_110():
    assert 110 + 1 == 111

def test_111():
    assert 111 + 1 == 112

def test_112():
    assert 112 + 1 == 113

def test_113():
    assert 113 + 1 == 114

def test_114():
    assert 114 + 1 == 115

def test_115():
    assert 115 + 1 == 116

def test_116():
    assert 116 + 1 == 117

def test_117():
    assert 117 + 1 == 118

def test_118():
    assert 118 + 1 == 119

def test_119():
    assert 119 + 1 == 120

def test_120():
    assert 120 + 1 == 121

def test_121():
    assert 121 + 1 == 122

def test_122():
    assert 122 + 1 == 123

def test_123():
    assert 123 + 1 == 124

def test_124():
    assert 124 + 1 == 125

def test_125():
    assert 125 + 1 == 126

def test_126():
    assert 126 + 1 == 127

def test_127():
    assert 127 + 1 == 128

def test_128():
    assert 128 + 1 == 129

def test_129():
    assert 129 + 1 == 130

def test_130():
    assert 130 + 1 == 131

def test_131():
    assert 131 + 1 == 132

def test_132():
    assert 132 + 1 == 133

def test_133():
    assert 133 + 1 == 134

def test_134():
    assert 134 + 1 == 135

def test_135():
    assert 135 + 1 == 136

def test_136():
    assert 136 + 1 == 137

def test_137():
    assert 137 + 1 == 138

def test_138():
    assert 138 + 1 == 139

def test_139():
    assert 139 + 1 == 140

def test_140():
    assert 140 + 1 == 141

def test_141():
    assert 141 + 1 == 142

def test_142():
    assert 142 + 1 == 143

def test_143():
    assert 143 + 1 == 144

def test_144():
    assert 144 + 1 == 145

def test_145():
    assert 145 + 1 == 146

def test_146():
    assert 146 + 1 == 147

def test_147():
    assert 147 + 1 == 148

def test_148():
    assert 148 + 1 == 149

def test_149():
    assert 149 + 1 == 150

def test_150():
    assert 150 + 1 == 151

def test_151():
    assert 151 + 1 == 152

def test_152():
    assert 152 + 1 == 153

def test_153():
    assert 153 + 1 == 154

def test_154():
    assert 154 + 1 == 155

def test_155():
    assert 155 + 1 == 156

def test_156():
    assert 156 + 1 == 157

def test_157():
    assert 157 + 1 == 158

def test_158():
    assert 158 + 1 == 159

def test_159():
    assert 159 + 1 == 160

def test_160():
    assert 160 + 1 == 161

def test_161():
    assert 161 + 1 == 162

def test_162():
    assert 162 + 1 == 163

def test_163():
    assert 163 + 1 == 164

def test_164():
    assert 164 + 1 == 165

def test_165():
    assert 165 + 1 == 166

def test_166():
    assert 166 + 1 == 167

def test_167():
    assert 167 + 1 == 168

def test_168():
    assert 168 + 1 == 169

def test_169():
    assert 169 + 1 == 170

def test_170():
    assert 170 + 1 == 171

def test_171():
    assert 171 + 1 == 172

def test_172():
    assert 172 + 1 == 173

def test_173():
    assert 173 + 1 == 174

def test_174():
    assert 174 + 1 == 175

def test_175():
    assert 175 + 1 == 176

def test_176():
    assert 176 + 1 == 177

def test_177():
    assert 177 + 1 == 178

def test_178():
    assert 178 + 1 == 179

def test_179():
    assert 179 + 1 == 180

def test_180():
    assert 180 + 1 == 181

def test_181():
    assert 181 + 1 == 182

def test_182():
    assert 182 + 1 == 183

def test_183():
    assert 183 + 1 == 184

def test_184():
    assert 184 + 1 == 185

def test_185():
    assert 185 + 1 == 186

def test_186():
    assert 186 + 1 == 187

def test_187():
    assert 187 + 1 == 188

def test_188():
    assert 188 + 1 == 189

def test_189():
    assert 189 + 1 == 190

def test_190():
    assert 190 + 1 == 191

def test_191():
    assert 191 + 1 == 192

def test_192():
    assert 192 + 1 == 193

def test_193():
    assert 193 + 1 == 194

def test_194():
    assert 194 + 1 == 195

def test_195():
    assert 195 + 1 == 196

def test_196():
    assert 196 + 1 == 197

def test_197():
    assert 197 + 1 == 198

def test_198():
    assert 198 + 1 == 199

def test_199():
    assert 199 + 1 == 200

def test_200():
    assert 200 + 1 == 201

def test_201():
    assert 201 + 1 == 202

def test_202():
    assert 202 + 1 == 203

def test_203():
    assert 203 + 1 == 204

def test_204():
    assert 204 + 1 == 205

def test_205():
    assert 205 + 1 == 206

def test_206():
    assert 206 + 1 == 207

def test_207():
    assert 207 + 1 == 208

def test_208():
    assert 208 + 1 == 209

def test_209():
    assert 209 + 1 == 210

def test_210():
    assert 210 + 1 == 211

def test_211():
    assert 211 + 1 == 212

def test_212():
    assert 212 + 1 == 213

def test_213():
    assert 213 + 1 == 214

def test_214():
    assert 214 + 1 == 215

def test_215():
    assert 215 + 1 == 216

def test_216():
    assert 216 + 1 == 217

def test_217():
    assert 217 + 1 == 218

def test_218():
    assert 218 + 1 == 219

def test_219():
    assert 219 + 1 == 220

def test_220():
    assert 220 + 1 == 221

def test_221():
    assert 221 + 1 == 222

def test_222():
    assert 222 + 1 == 223

def test_223():
    assert 223 + 1 == 224

def test_224():
    assert 224 + 1 == 225

def test_225():
    assert 225 + 1 == 226

def test_226():
    assert 226 + 1 == 227

def test_227():
    assert 227 + 1 == 228

def test_228():
    assert 228 + 1 == 229

def test_229():
    assert 229 + 1 == 230

def test_230():
    assert 230 + 1 == 231

def test_231():
    assert 231 + 1 == 232

def test_232():
    assert 232 + 1 == 233

def test_233():
    assert 233 + 1 == 234

def test_234():
    assert 234 + 1 == 235

def test_235():
    assert 235 + 1 == 236

def test_236():
    assert 236 + 1 == 237

def test_237():
    assert 237 + 1 == 238

def test_238():
    assert 238 + 1 == 239

def test_239():
    assert 239 + 1 == 240

def test_240():
    assert 240 + 1 == 241

def test_241():
    assert 241 + 1 == 242

def test_242():
    assert 242 + 1 == 243

def test_243():
    assert 243 + 1 == 244

def test_244():
    assert 244 + 1 == 245

def test_245():
    assert 245 + 1 == 246

def test_246():
    assert 246 + 1 == 247

def test_247():
    assert 247 + 1 == 248

def test_248():
    assert 248 + 1 == 249

def test_249():
    assert 249 + 1 == 250

def test_250():
    assert 250 + 1 == 251

def test_251():
    assert 251 + 1 == 252

def test_252():
    assert 252 + 1 == 253

def test_253():
    assert 253 + 1 == 254

def test_254():
    assert 254 + 1 == 255

def test_255():
    assert 255 + 1 == 256

def test_256():
    assert 256 + 1 == 257

def test_257():
    assert 257 + 1 == 258

def test_258():
    assert 258 + 1 == 259

def test_259():
    assert 259 + 1 == 260

def test_260():
    assert 260 + 1 == 261

def test_261():
    assert 261 + 1 == 262

def test_262():
    assert 262 + 1 == 263

def test_263():
    assert 263 + 1 == 264

def test_264():
    assert 264 + 1 == 265

def test_265():
    assert 265 + 1 == 266

def test_266():
    assert 266 + 1 == 267

def test_267():
    assert 267 + 1 == 268

def test_268():
    assert 268 + 1 == 269

def test_269():
    assert 269 + 1 == 270

def test_270():
    assert 270 + 1 == 271

def test_271():
    assert 271 + 1 == 272

def test_272():
    assert 272 + 1 == 273

def test_273():
    assert 273 + 1 == 274

def test_274():
    assert 274 + 1 == 275

def test_275():
    assert 275 + 1 == 276

def test_276():
    assert 276 + 1 == 277

def test_277():
    assert 277 + 1 == 278

def test_278():
    assert 278 + 1 == 279

def test_279():
    assert 279 + 1 == 280

def test_280():
    assert 280 + 1 == 281

def test_281():
    assert 281 + 1 == 282

def test_282():
    assert 282 + 1 == 283

def test_283():
    assert 283 + 1 == 284

def test_284():
    assert 284 + 1 == 285

def test_285():
    assert 285 + 1 == 286

def test_286():
    assert 286 + 1 == 287

def test_287():
    assert 287 + 1 == 288

def test_288():
    assert 288 + 1 == 289

def test_289():
    assert 289 + 1 == 290

def test_290():
    assert 290 + 1 == 291

def test_291():
    assert 291 + 1 == 292

def test_292():
    assert 292 + 1 == 293

def test_293():
    assert 293 + 1 == 294

def test_294():
    assert 294 + 1 == 295

def test_295():
    assert 295 + 1 == 296

def test_296():
    assert 296 + 1 == 297

def test_297():
    assert 297 + 1 == 298

def test_298():
    assert 298 + 1 == 299

def test_299():
    assert 299 + 1 == 300

def test_300():
    assert 300 + 1 == 301

def test_301():
    assert 301 + 1 == 302

def test_302():
    assert 302 + 1 == 303

def test_303():
    assert 303 + 1 == 304

def test_304():
    assert 304 + 1 == 305

def test_305():
    assert 305 + 1 == 306

def test_306():
    assert 306 + 1 == 307

def test_307():
    assert 307 + 1 == 308

def test_308():
    assert 308 + 1 == 309

def test_309():
    assert 309 + 1 == 310

def test_310():
    assert 310 + 1 == 311

def test_311():
    assert 311 + 1 == 312

def test_312():
    assert 312 + 1 == 313

def test_313():
    assert 313 + 1 == 314

def test_314():
    assert 314 + 1 == 315

def test_315():
    assert 315 + 1 == 316

def test_316():
    assert 316 + 1 == 317

def test_317():
    assert 317 + 1 == 318

def test_318():
    assert 318 + 1 == 319

def test_319():
    assert 319 + 1 == 320

def test_320():
    assert 320 + 1 == 321

def test_321():
    assert 321 + 1 == 322

def test_322():
    assert 322 + 1 == 323

def test_323():
    assert 323 + 1 == 324

def test_324():
    assert 324 + 1 == 325

def test_325():
    assert 325 + 1 == 326

def test_326():
    assert 326 + 1 == 327

def test_327():
    assert 327 + 1 == 328

def test_328():
    assert 328 + 1 == 329

def test_329():
    assert 329 + 1 == 330

def test_330():
    assert 330 + 1 == 331

def test_331():
    assert 331 + 1 == 332

def test_332():
    assert 332 + 1 == 333

def test_333():
    assert 333 + 1 == 334

def test_334():
    assert 334 + 1 == 335

def test_335():
    assert 335 + 1 == 336

def test_336():
    assert 336 + 1 == 337

def test_337():
    assert 337 + 1 == 338

def test_338():
    assert 338 + 1 == 339

def test_339():
    assert 339 + 1 == 340

def test_340():
    assert 340 + 1 == 341

def test_341():
    assert 341 + 1 == 342

def test_342():
    assert 342 + 1 == 343

def test_343():
    assert 343 + 1 == 344

def test_344():
    assert 344 + 1 == 345

def test_345():
    assert 345 + 1 == 346

def test_346():
    assert 346 + 1 == 347

def test_347():
    assert 347 + 1 == 348

def test_348():
    assert 348 + 1 == 349

def test_349():
    assert 349 + 1 == 350

def test_350():
    assert 350 + 1 == 351

def test_351():
    assert 351 + 1 == 352

def test_352():
    assert 352 + 1 == 353

def test_353():
    assert 353 + 1 == 354

def test_354():
    assert 354 + 1 == 355

def test_355():
    assert 355 + 1 == 356

def test_356():
    assert 356 + 1 == 357

def test_357():
    assert 357 + 1 == 358

def test_358():
    assert 358 + 1 == 359

def test_359():
    assert 359 + 1 == 360

def test_360():
    assert 360 + 1 == 361

def test_361():
    assert 361 + 1 == 362

def test_362():
    assert 362 + 1 == 363

def test_363():
    assert 363 + 1 == 364

def test_364():
    assert 364 + 1 == 365

def test_365():
    assert 365 + 1 == 366

def test_366():
    assert 366 + 1 == 367

def test_367():
    assert 367 + 1 == 368

def test_368():
    assert 368 + 1 == 369

def test_369():
    assert 369 + 1 == 370

def test_370():
    assert 370 + 1 == 371

def test_371():
    assert 371 + 1 == 372

def test_372():
    assert 372 + 1 == 373

def test_373():
    assert 373 + 1 == 374

def test_374():
    assert 374 + 1 == 375

def test_375():
    assert 375 + 1 == 376

def test_376():
    assert 376 + 1 == 377

def test_377():
    assert 377 + 1 == 378

def test_378():
    assert 378 + 1 == 379

def test_379():
    assert 379 + 1 == 380

def test_380():
    assert 380 + 1 == 381

def test_381():
    assert 381 + 1 == 382

def test_382():
    assert 382 + 1 == 383

def test_383():
    assert 383 + 1 == 384

def test_384():
    assert 384 + 1 == 385

def test_385():
    assert 385 + 1 == 386

def test_386():
    assert 386 + 1 == 387

def test_387():
    assert 387 + 1 == 388

def test_388():
    assert 388 + 1 == 389

def test_389():
    assert 389 + 1 == 390

def test_390():
    assert 390 + 1 == 391

def test_391():
    assert 391 + 1 == 392

def test_392():
    assert 392 + 1 == 393

def test_393():
    assert 393 + 1 == 394

def test_394():
    assert 394 + 1 == 395

def test_395():
    assert 395 + 1 == 396

def test_396():
    assert 396 + 1 == 397

def test_397():
    assert 397 + 1 == 398

def test_398():
    assert 398 + 1 == 399

def test_399():
    assert 399 + 1 == 400


