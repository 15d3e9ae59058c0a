// Plausible Chinese names for places and people of the demo county. Names are drawn
// from common characters; uniqueness is kept per kind.
import type { Rng } from './random';

const PLACE_FIRST = '青石龙桂泉湖安水河曹方淮济城中南西东北大小高新柳松梅竹茶金马凤云溪枫岭黄白红上下长平福兴丰永宁和乐源塘洪坪'.split('');
const PLACE_SECOND = '坪溪口田坑源洋岭山塘桥湾坊下上头背洲阳峰林岗坝铺坂墩寨垄'.split('');
const SURNAMES = '李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖邱江雷温赖巫官伍'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍建国文红志辉春梅海燕德福金生荣新林飞凤兰成斌宏波鹏亮'.split('');
const STREETS = ['人民路', '解放路', '建设路', '中山路', '滨江路', '新华路', '和平路', '胜利路', '东大街', '西大街', '南大街', '北大街', '文化路', '学府路', '工业路', '站前路', '翠城路', '溪源路', '龙湖路', '环城东路', '环城西路', '环城南路', '环城北路', '府前路', '青年路', '朝阳路', '民主路', '友谊路', '光明路', '幸福路'];

export class NameBook {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}

  /** A two-character place stem, unique across the county (e.g. 石坪). */
  placeStem(): string {
    for (let i = 0; i < 500; i++) {
      const stem = this.rng.pick(PLACE_FIRST) + this.rng.pick(PLACE_SECOND);
      if (!this.used.has(stem)) {
        this.used.add(stem);
        return stem;
      }
    }
    throw new Error('ran out of place names');
  }

  person(): string {
    const given = this.rng.chance(0.6) ? this.rng.pick(GIVEN) + this.rng.pick(GIVEN) : this.rng.pick(GIVEN);
    return this.rng.pick(SURNAMES) + given;
  }

  /** A mobile number of the 1[3-9]x form; synthetic, with a reserved-looking middle block. */
  phone(): string {
    return `1${this.rng.int(3, 9)}${this.rng.int(0, 9)}0000${String(this.rng.int(0, 9999)).padStart(4, '0')}`;
  }

  street(index: number): string {
    return STREETS[index % STREETS.length]! + (index >= STREETS.length ? `${Math.floor(index / STREETS.length) + 1}段` : '');
  }
}

export const CHINESE_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
